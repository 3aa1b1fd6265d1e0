import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './App';
import { CoreGate } from './components/CoreFailed';
import { i18n } from './i18n';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <CoreGate>
        <App />
      </CoreGate>
    </I18nextProvider>
  </StrictMode>,
);
