import { DOC_BODY_FIELD } from '@yishi/shared';
import * as Y from 'yjs';

/** Appends paragraphs of plain text to a proposal document's body, as the editor makes them. */
export function appendParagraphs(doc: Y.Doc, paragraphs: string[]): void {
  const body = doc.getXmlFragment(DOC_BODY_FIELD);
  body.insert(
    body.length,
    paragraphs.map((text) => {
      const p = new Y.XmlElement('paragraph');
      const t = new Y.XmlText();
      t.insert(0, text);
      p.insert(0, [t]);
      return p;
    }),
  );
}
