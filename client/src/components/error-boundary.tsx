import { Component, type ReactNode } from 'react';
import { Trans } from 'react-i18next';

/**
 * Catches render failures, most often a screen's code that could not be downloaded on a bad
 * connection, and offers a reload instead of a blank page.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" className="alert alert-error">
        <p>
          <Trans i18nKey="errors.pageFailed" />
        </p>
        <button type="button" onClick={() => window.location.reload()}>
          <Trans i18nKey="errors.reload" />
        </button>
      </div>
    );
  }
}
