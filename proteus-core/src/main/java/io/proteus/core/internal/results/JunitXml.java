package io.proteus.core.internal.results;

import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads JUnit XML test cases with a streaming parser: a DTD (and so every entity declaration,
 * internal or external) is refused, nesting is bounded, and messages are cut to a bound, so a
 * hostile file costs little memory and time.
 */
final class JunitXml {
  static final int MAX_DEPTH = 100;
  private static final XMLInputFactory FACTORY = factory();

  private JunitXml() {}

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    return f;
  }

  /** A test case being read. */
  private static final class Open {
    final String name;
    final String time;
    final int depth;
    CaseStatus status = CaseStatus.PASSED;
    int rank = Integer.MAX_VALUE;
    final StringBuilder message = new StringBuilder();
    long dropped;
    int messageDepth = -1;

    Open(String name, String time, int depth) {
      this.name = name;
      this.time = time;
      this.depth = depth;
    }
  }

  static List<TestCaseResult> parse(byte[] xml, String file) {
    List<TestCaseResult> out = new ArrayList<>();
    List<Open> open = new ArrayList<>();
    XMLStreamReader r = null;
    try {
      synchronized (FACTORY) {
        r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      }
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.DTD -> {
            out.add(ResultFiles.unreadable(file, "DTDs are refused"));
            return out;
          }
          case XMLStreamConstants.ENTITY_REFERENCE -> {
            out.add(ResultFiles.unreadable(file, "entity references are refused"));
            return out;
          }
          case XMLStreamConstants.START_ELEMENT -> {
            depth++;
            if (depth > MAX_DEPTH) {
              out.add(ResultFiles.unreadable(file, "nested deeper than " + MAX_DEPTH));
              return out;
            }
            start(r, depth, open, out, file);
          }
          case XMLStreamConstants.END_ELEMENT -> {
            end(depth, open, out);
            depth--;
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> text(r, open);
          default -> {}
        }
        if (out.size() > ResultFiles.MAX_CASES) {
          return out;
        }
      }
      return out;
    } catch (XMLStreamException | RuntimeException e) {
      out.add(ResultFiles.unreadable(file, "not JUnit XML: " + ResultFiles.describe(e)));
      return out;
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing is held open: the input is in memory
        }
      }
    }
  }

  private static void start(
      XMLStreamReader r, int depth, List<Open> open, List<TestCaseResult> out, String file) {
    String tag = r.getLocalName();
    if (tag.equals("testcase")) {
      String name = attribute(r, "name");
      if (name.isEmpty()) {
        out.add(ResultFiles.unreadable(file, "a testcase has no name"));
        return;
      }
      open.add(new Open(name, attribute(r, "time"), depth));
      return;
    }
    if (open.isEmpty()) {
      return;
    }
    Open c = open.getLast();
    int rank =
        switch (tag) {
          case "failure" -> 0;
          case "error" -> 1;
          case "skipped" -> 2;
          default -> Integer.MAX_VALUE;
        };
    if (rank >= c.rank) {
      return;
    }
    c.rank = rank;
    c.status = rank == 2 ? CaseStatus.SKIPPED : CaseStatus.FAILED;
    c.message.setLength(0);
    c.dropped = 0;
    String m = attribute(r, "message");
    if (m.isEmpty()) {
      c.messageDepth = depth;
    } else {
      c.messageDepth = -1;
      append(c, m);
    }
  }

  private static void end(int depth, List<Open> open, List<TestCaseResult> out) {
    if (open.isEmpty()) {
      return;
    }
    Open c = open.getLast();
    if (c.messageDepth == depth) {
      c.messageDepth = -1;
    }
    if (c.depth == depth) {
      open.removeLast();
      String message = c.message.toString().strip();
      if (c.dropped > 0) {
        message += " [" + c.dropped + " characters dropped]";
      }
      out.add(ResultFiles.bounded(c.name, c.status, message, seconds(c.time)));
    }
  }

  private static void text(XMLStreamReader r, List<Open> open) {
    if (open.isEmpty() || open.getLast().messageDepth < 0) {
      return;
    }
    append(open.getLast(), r.getText());
  }

  private static void append(Open c, String s) {
    int room = Math.max(0, ResultFiles.MAX_MESSAGE_CHARS - c.message.length());
    int take = Math.min(room, s.length());
    c.message.append(s, 0, take);
    c.dropped += s.length() - take;
  }

  private static String attribute(XMLStreamReader r, String name) {
    String v = r.getAttributeValue(null, name);
    return v == null ? "" : v;
  }

  private static Duration seconds(String s) {
    try {
      double secs = s.isEmpty() ? 0 : Double.parseDouble(s);
      if (!(secs > 0) || secs > 1e9) {
        return Duration.ZERO;
      }
      return Duration.ofMillis((long) (secs * 1000));
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }
}
