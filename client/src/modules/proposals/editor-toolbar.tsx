import { useEditorState, type Editor } from '@tiptap/react';
import { useTranslation } from 'react-i18next';

/** Bold, italic, heading and lists; shown only to those who may edit. */
export function Toolbar({ editor }: { editor: Editor }) {
  const { t } = useTranslation();
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      heading: e.isActive('heading', { level: 2 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
    }),
  });
  const chain = () => editor.chain().focus();
  const buttons = [
    { key: 'bold', label: t('editor.bold'), text: 'B', on: active.bold, run: () => chain().toggleBold().run() },
    { key: 'italic', label: t('editor.italic'), text: 'I', on: active.italic, run: () => chain().toggleItalic().run() },
    { key: 'heading', label: t('editor.heading'), text: 'H', on: active.heading, run: () => chain().toggleHeading({ level: 2 }).run() },
    { key: 'bullet', label: t('editor.bulletList'), text: '•', on: active.bullet, run: () => chain().toggleBulletList().run() },
    { key: 'ordered', label: t('editor.orderedList'), text: '1.', on: active.ordered, run: () => chain().toggleOrderedList().run() },
  ];
  return (
    <div className="editor-toolbar" role="toolbar" aria-label={t('editor.label')}>
      {buttons.map((b) => (
        <button
          key={b.key}
          type="button"
          className="button-quiet"
          title={b.label}
          aria-pressed={b.on}
          onMouseDown={(e) => e.preventDefault()}
          onClick={b.run}
        >
          <span aria-hidden="true">{b.text}</span>
          <span className="visually-hidden">{b.label}</span>
        </button>
      ))}
    </div>
  );
}
