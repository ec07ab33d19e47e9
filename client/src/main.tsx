import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import './lib/i18n';
import { registerServiceWorker } from './lib/offline-pwa';
import { applyDisplayMode } from './lib/preferences';
import { SessionProvider } from './lib/session';
import { router } from './router';
import './styles.css';

// Before the first paint, so 长辈版 users never see the small layout flash by.
applyDisplayMode();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  </StrictMode>,
);

registerServiceWorker();
