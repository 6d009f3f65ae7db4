package io.proteus.core.internal.results;

import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Reads JUnit XML test cases. DTDs and external entities are refused. */
final class JunitXml {
  private JunitXml() {}

  static List<TestCaseResult> parse(String xml, String file) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
      NodeList cases = doc.getElementsByTagName("testcase");
      List<TestCaseResult> out = new ArrayList<>();
      for (int i = 0; i < cases.getLength(); i++) {
        Element c = (Element) cases.item(i);
        String name = c.getAttribute("name");
        if (name.isEmpty()) {
          out.add(ResultFiles.unreadable(file, "a testcase has no name"));
          continue;
        }
        CaseStatus status = CaseStatus.PASSED;
        Optional<String> message = Optional.empty();
        for (String tag : List.of("failure", "error", "skipped")) {
          NodeList n = c.getElementsByTagName(tag);
          if (n.getLength() > 0) {
            status = tag.equals("skipped") ? CaseStatus.SKIPPED : CaseStatus.FAILED;
            Element e = (Element) n.item(0);
            String m = e.getAttribute("message");
            if (m.isEmpty()) {
              m = e.getTextContent().strip();
            }
            message = m.isEmpty() ? Optional.empty() : Optional.of(m);
            break;
          }
        }
        out.add(new TestCaseResult(name, status, message, seconds(c.getAttribute("time")), true));
      }
      return out;
    } catch (Exception e) {
      return List.of(ResultFiles.unreadable(file, "not JUnit XML: " + e.getMessage()));
    }
  }

  private static Duration seconds(String s) {
    try {
      return s.isEmpty() ? Duration.ZERO : Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }
}
