// anomaly4j JShell startup: the library's packages, imported. Opened by `./anomaly4j jshell`.
import java.nio.file.*;
import java.util.*;
import org.anomaly4j.api.*;
import org.anomaly4j.data.*;
import org.anomaly4j.metrics.*;
import org.anomaly4j.density.*;
import org.anomaly4j.testdata.*;
System.out.println("anomaly4j " + Versions.library() + " ready: try /open examples/jshell/quickstart.jsh");
