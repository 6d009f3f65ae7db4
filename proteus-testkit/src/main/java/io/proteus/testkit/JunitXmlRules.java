package io.proteus.testkit;

import io.proteus.core.report.JunitFlavour;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Checks JUnit XML against what the schema of each {@link JunitFlavour}'s consumer allows: Jenkins'
 * junit-4.xsd for {@link JunitFlavour#JUNIT4}, Maven Surefire's surefire-test-report-3.0.xsd for
 * {@link JunitFlavour#SUREFIRE}. The rules (root elements, each element's attributes, which are
 * required, its children in order with their counts, text or not, Surefire's time format) are
 * written here rather than the schemas shipped, since no Maven artifact ships either. Use it to
 * check the reports Proteus or an adapter of yours writes before a CI server does.
 */
public final class JunitXmlRules {
  private static final Pattern SUREFIRE_TIME =
      Pattern.compile("(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\\.[0-9]{0,3})?");

  /**
   * One child slot of an element's sequence.
   *
   * @param name the child's name
   * @param min how many at least
   * @param max how many at most
   */
  private record Slot(String name, int min, int max) {}

  /**
   * What one element may be.
   *
   * @param attributes the attributes it may have
   * @param required those it must have
   * @param children its child elements, in order; empty for a text-only or empty element
   * @param text whether it may hold text
   */
  private record Rule(
      Set<String> attributes, Set<String> required, List<Slot> children, boolean text) {}

  private static final int MANY = Integer.MAX_VALUE;

  private static Rule text(Set<String> attributes, Set<String> required) {
    return new Rule(attributes, required, List.of(), true);
  }

  private static Rule elements(Set<String> attributes, Set<String> required, Slot... children) {
    return new Rule(attributes, required, List.of(children), false);
  }

  private static Slot slot(String name, int min, int max) {
    return new Slot(name, min, max);
  }

  private static final Rule PROPERTY = elements(Set.of("name", "value"), Set.of("name", "value"));

  private static final Rule RERUN =
      elements(
          Set.of("message", "type"),
          Set.of("type"),
          slot("stackTrace", 1, 1),
          slot("system-out", 0, 1),
          slot("system-err", 0, 1));

  private static final Map<String, Rule> SUREFIRE =
      Map.ofEntries(
          Map.entry(
              "testsuite",
              elements(
                  Set.of(
                      "name", "time", "tests", "errors", "skipped", "failures", "group", "version"),
                  Set.of("name", "tests", "errors", "skipped", "failures"),
                  slot("properties", 0, MANY),
                  slot("testcase", 0, MANY))),
          Map.entry("properties", elements(Set.of(), Set.of(), slot("property", 0, MANY))),
          Map.entry("property", PROPERTY),
          Map.entry(
              "testcase",
              elements(
                  Set.of("name", "classname", "group", "time"),
                  Set.of("name", "time"),
                  slot("failure", 0, MANY),
                  slot("rerunFailure", 0, MANY),
                  slot("flakyFailure", 0, MANY),
                  slot("skipped", 0, 1),
                  slot("error", 0, 1),
                  slot("rerunError", 0, MANY),
                  slot("flakyError", 0, MANY),
                  slot("system-out", 0, 1),
                  slot("system-err", 0, 1))),
          Map.entry("failure", text(Set.of("message", "type"), Set.of("type"))),
          Map.entry("error", text(Set.of("message", "type"), Set.of("type"))),
          Map.entry("skipped", text(Set.of("message"), Set.of())),
          Map.entry("rerunFailure", RERUN),
          Map.entry("flakyFailure", RERUN),
          Map.entry("rerunError", RERUN),
          Map.entry("flakyError", RERUN),
          Map.entry("stackTrace", text(Set.of(), Set.of())),
          Map.entry("system-out", text(Set.of(), Set.of())),
          Map.entry("system-err", text(Set.of(), Set.of())));

  private static final Map<String, Rule> JUNIT4 =
      Map.ofEntries(
          Map.entry(
              "testsuites",
              elements(
                  Set.of("name", "time", "tests", "failures", "disabled", "errors"),
                  Set.of(),
                  slot("testsuite", 0, MANY))),
          Map.entry(
              "testsuite",
              elements(
                  Set.of(
                      "name",
                      "tests",
                      "failures",
                      "errors",
                      "time",
                      "disabled",
                      "skipped",
                      "timestamp",
                      "hostname",
                      "id",
                      "package"),
                  Set.of("name", "tests"),
                  slot("properties", 0, 1),
                  slot("testcase", 0, MANY),
                  slot("system-out", 0, 1),
                  slot("system-err", 0, 1))),
          Map.entry("properties", elements(Set.of(), Set.of(), slot("property", 1, MANY))),
          Map.entry("property", PROPERTY),
          Map.entry(
              "testcase",
              elements(
                  Set.of("name", "assertions", "time", "classname", "status"),
                  Set.of("name"),
                  slot("skipped", 0, 1),
                  slot("error", 0, MANY),
                  slot("failure", 0, MANY),
                  slot("system-out", 0, MANY),
                  slot("system-err", 0, MANY))),
          Map.entry("skipped", text(Set.of(), Set.of())),
          Map.entry("error", text(Set.of("type", "message"), Set.of())),
          Map.entry("failure", text(Set.of("type", "message"), Set.of())),
          Map.entry("system-out", text(Set.of(), Set.of())),
          Map.entry("system-err", text(Set.of(), Set.of())));

  private JunitXmlRules() {}

  /** What in the file breaks the flavour's schema; empty when it is valid. */
  public static List<String> violations(Path file, JunitFlavour flavour) throws IOException {
    return violations(Files.readString(file, StandardCharsets.UTF_8), flavour);
  }

  /** What in the XML breaks the flavour's schema; empty when it is valid. */
  public static List<String> violations(String xml, JunitFlavour flavour) {
    List<String> out = new ArrayList<>();
    Element root;
    try {
      root = parse(xml).getDocumentElement();
    } catch (SAXException | IOException e) {
      out.add("not well-formed XML: " + e.getMessage());
      return out;
    }
    Set<String> roots =
        flavour == JunitFlavour.SUREFIRE ? Set.of("testsuite") : Set.of("testsuites", "testsuite");
    if (!roots.contains(root.getTagName())) {
      out.add("the root is <" + root.getTagName() + ">, not one of " + roots);
      return out;
    }
    check(root, "/" + root.getTagName(), flavour == JunitFlavour.SUREFIRE ? SUREFIRE : JUNIT4, out);
    return out;
  }

  /** Throws an {@link AssertionError} listing what breaks the flavour's schema, if anything. */
  public static void check(Path file, JunitFlavour flavour) throws IOException {
    List<String> v = violations(file, flavour);
    if (!v.isEmpty()) {
      throw new AssertionError(
          file + " breaks the " + flavour.id() + " schema:\n  " + String.join("\n  ", v));
    }
  }

  private static void check(Element e, String path, Map<String, Rule> rules, List<String> out) {
    Rule rule = rules.get(e.getTagName());
    if (rule == null) {
      out.add(path + ": no such element in the schema");
      return;
    }
    NamedNodeMap attrs = e.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      String name = a.getName();
      if (name.startsWith("xmlns")
          || XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI.equals(a.getNamespaceURI())) {
        continue;
      }
      if (!rule.attributes().contains(name)) {
        out.add(path + ": attribute " + name + " is not allowed");
      }
      if (name.equals("time")
          && rules == SUREFIRE
          && !SUREFIRE_TIME.matcher(a.getValue()).matches()) {
        out.add(path + ": time=\"" + a.getValue() + "\" is not in Surefire's time format");
      }
    }
    for (String r : rule.required()) {
      if (!e.hasAttribute(r)) {
        out.add(path + ": required attribute " + r + " is missing");
      }
    }
    List<Element> children = new ArrayList<>();
    NodeList nodes = e.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element c) {
        children.add(c);
      } else if ((n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE)
          && !rule.text()
          && !n.getNodeValue().isBlank()) {
        out.add(path + ": text is not allowed here");
      }
    }
    sequence(children, rule.children(), path, out);
    int index = 0;
    for (Element c : children) {
      check(c, path + "/" + c.getTagName() + "[" + index++ + "]", rules, out);
    }
  }

  /** Matches the children against the slots in order, as an XSD sequence does. */
  private static void sequence(
      List<Element> children, List<Slot> slots, String path, List<String> out) {
    int slot = 0;
    int count = 0;
    for (Element c : children) {
      String name = c.getTagName();
      while (slot < slots.size() && !slots.get(slot).name().equals(name)) {
        if (count < slots.get(slot).min()) {
          out.add(path + ": <" + slots.get(slot).name() + "> is missing before <" + name + ">");
        }
        slot++;
        count = 0;
      }
      if (slot == slots.size()) {
        out.add(path + ": <" + name + "> is not allowed here");
        return;
      }
      if (++count > slots.get(slot).max()) {
        out.add(path + ": too many <" + name + "> (at most " + slots.get(slot).max() + ")");
      }
    }
    for (; slot < slots.size(); slot++, count = 0) {
      if (count < slots.get(slot).min()) {
        out.add(path + ": <" + slots.get(slot).name() + "> is missing");
      }
    }
  }

  private static org.w3c.dom.Document parse(String xml) throws SAXException, IOException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
      return b.parse(new InputSource(new StringReader(xml)));
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }
}
