package io.proteus.core.report;

import java.io.IOException;
import java.io.Writer;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * An {@link XMLStreamWriter} that only lets through what XML 1.0 allows, with the indentation of a
 * report. Names and logs come from builds and scenarios, so anything may be in them: characters XML
 * 1.0 forbids (most control characters, unpaired surrogates, U+FFFE and U+FFFF) are dropped, tabs
 * and line breaks in attributes become spaces (what a parser would make of them anyway), and the
 * writer escapes quotes, {@code <}, {@code &} and {@code >} (so {@code ]]>} is harmless).
 */
final class SafeXml {
  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

  private final XMLStreamWriter xml;
  private int depth;
  private boolean childOpened;

  private SafeXml(XMLStreamWriter xml) {
    this.xml = xml;
  }

  /** A writer onto {@code out}, the XML declaration written. */
  static SafeXml on(Writer out) throws IOException {
    out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    try {
      return new SafeXml(FACTORY.createXMLStreamWriter(out));
    } catch (XMLStreamException e) {
      throw new IOException("cannot write XML", e);
    }
  }

  /** Opens an element on its own indented line. */
  SafeXml open(String name) throws IOException {
    try {
      if (depth > 0) {
        xml.writeCharacters("\n" + "  ".repeat(depth));
      }
      xml.writeStartElement(name);
      depth++;
      childOpened = false;
      return this;
    } catch (XMLStreamException e) {
      throw new IOException("cannot write XML", e);
    }
  }

  /** An empty element on its own indented line; its attributes follow. */
  SafeXml leaf(String name) throws IOException {
    try {
      xml.writeCharacters("\n" + "  ".repeat(depth));
      xml.writeEmptyElement(name);
      childOpened = true;
      return this;
    } catch (XMLStreamException e) {
      throw new IOException("cannot write XML", e);
    }
  }

  /** An attribute of the element just opened. */
  SafeXml attr(String name, String value) throws IOException {
    try {
      xml.writeAttribute(name, attribute(value));
      return this;
    } catch (XMLStreamException e) {
      throw new IOException("cannot write XML", e);
    }
  }

  /** An attribute with a number. */
  SafeXml attr(String name, long value) throws IOException {
    return attr(name, Long.toString(value));
  }

  /** Text content of the element just opened; it gets no child elements then. */
  SafeXml text(String value) throws IOException {
    try {
      xml.writeCharacters(text(value, false));
      return this;
    } catch (XMLStreamException e) {
      throw new IOException("cannot write XML", e);
    }
  }

  /** Closes the element opened last; the end tag goes on its own line after child elements. */
  SafeXml end() throws IOException {
    try {
      depth--;
      if (childOpened) {
        xml.writeCharacters("\n" + "  ".repeat(depth));
      }
      xml.writeEndElement();
      childOpened = true;
      if (depth == 0) {
        xml.writeCharacters("\n");
      }
      return this;
    } catch (XMLStreamException e) {
      throw new IOException("cannot write XML", e);
    }
  }

  /** An element holding only {@code value} as text. */
  SafeXml textElement(String name, String value) throws IOException {
    open(name).text(value);
    childOpened = false;
    return end();
  }

  /** Flushes what is written; the underlying writer stays open. */
  void finish() throws IOException {
    try {
      xml.flush();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write XML", e);
    }
  }

  /** {@code s} as an attribute value: forbidden characters dropped, whitespace made spaces. */
  static String attribute(String s) {
    return text(s, true);
  }

  /**
   * {@code s} with the characters XML 1.0 forbids dropped; line breaks become {@code \n} (what a
   * parser reads back), or spaces in an attribute.
   */
  static String text(String s, boolean inAttribute) {
    StringBuilder b = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else if (c == '\r') {
        if (i + 1 < n && s.charAt(i + 1) == '\n') {
          continue;
        }
        b.append(inAttribute ? ' ' : '\n');
      } else if (c == '\n' || c == '\t') {
        b.append(inAttribute ? ' ' : c);
      } else if (allowed(c)) {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean allowed(char c) {
    return (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
  }
}
