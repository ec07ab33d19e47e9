import Collaboration from '@tiptap/extension-collaboration';
import type { Transaction } from '@tiptap/pm/state';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { DOC_BODY_FIELD, SocketIOProvider } from '@yishi/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as Y from 'yjs';
import type { AppSocket } from '../../lib/realtime';

/**
 * The proposal's co-edited text, read-only, as it changes: the same Yjs binding as the room's
 * editor, over the projector's own socket (the server answers its join with `canEdit: false`).
 * Loaded lazily, like the room's editor.
 */
export default function ProjectorText({ socket, docId }: { socket: AppSocket; docId: string }) {
  const { t } = useTranslation();
  const [doc] = useState(() => new Y.Doc());
  useEffect(() => {
    const provider = new SocketIOProvider(socket, docId, doc);
    return () => provider.destroy();
  }, [socket, docId, doc]);
  const editor = useEditor(
    {
      extensions: [StarterKit.configure({ undoRedo: false }), Collaboration.configure({ document: doc, field: DOC_BODY_FIELD })],
      editable: false,
      editorProps: { attributes: { 'aria-label': t('projector.text'), 'data-testid': 'projector-text' } },
    },
    [doc],
  );
  // The passage under discussion is where the text last changed: keep it in view as people edit.
  useEffect(() => {
    if (!editor) return;
    const follow = ({ transaction }: { transaction: Transaction }) => {
      if (!transaction.docChanged) return;
      // A remote change arrives as one replacement of the whole text, so compare the texts.
      const at = transaction.before.content.findDiffStart(transaction.doc.content);
      if (at === null) return;
      const pos = Math.min(at, editor.state.doc.content.size);
      // A new paragraph starts at `pos` (its own element); a change inside one is in a text node.
      const node = editor.view.nodeDOM(pos) ?? editor.view.domAtPos(pos).node;
      (node instanceof Element ? node : node.parentElement)?.scrollIntoView({ block: 'center' });
    };
    editor.on('update', follow);
    return () => {
      editor.off('update', follow);
    };
  }, [editor]);
  return <EditorContent editor={editor} className="projector-text" />;
}
