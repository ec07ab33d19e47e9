import { Fragment, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import source from '../../../docs/rules.md?raw';
import { type Inline, parseMarkdown } from '../lib/markdown';
import { pathTo, useNavigateTo } from '../lib/routes';

const blocks = parseMarkdown(source);

function Text({ parts }: { parts: Inline[] }) {
  return <>{parts.map((p, i) => (p.code ? <code key={i}>{p.text}</code> : <Fragment key={i}>{p.text}</Fragment>))}</>;
}

/** Lines of one block, the Chinese and the English each on its own line. */
function Lines({ lines }: { lines: Inline[][] }) {
  return (
    <>
      {lines.map((l, i) => (
        <Fragment key={i}>
          {i > 0 && <br />}
          <Text parts={l} />
        </Fragment>
      ))}
    </>
  );
}

/** docs/rules.md, as every user may read it: how votes are counted and costs split, with examples. */
export default function RulesPage() {
  const { t } = useTranslation();
  const navigate = useNavigateTo();
  // Back to where the reader came from (the vote), or home when the page was opened on its own.
  const back = (e: MouseEvent) => {
    e.preventDefault();
    if (window.history.length > 1) window.history.back();
    else navigate(pathTo('home'));
  };
  return (
    <article className="rules-page" data-testid="rules-page" lang="zh-CN">
      <p>
        <a href="/" className="button-link" onClick={back} data-testid="rules-back">
          {t('rules.back')}
        </a>
      </p>
      {blocks.map((b, i) => {
        switch (b.kind) {
          case 'heading': {
            const H = b.level === 1 ? 'h1' : b.level === 2 ? 'h2' : 'h3';
            return (
              <H key={i} id={`rule-${b.id}`}>
                {b.text}
              </H>
            );
          }
          case 'paragraph':
            return (
              <p key={i}>
                <Lines lines={b.lines} />
              </p>
            );
          case 'list':
            return (
              <ul key={i}>
                {b.items.map((item, j) => (
                  <li key={j}>
                    <Lines lines={item} />
                  </li>
                ))}
              </ul>
            );
        }
      })}
    </article>
  );
}
