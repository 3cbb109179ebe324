import './global.css';
import './i18n/index.ts';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router-dom';

// Each area is its own chunk: the buyer app never loads antd, the consoles never load antd-mobile.
const BuyerApp = lazy(() => import('./buyer/BuyerApp.tsx'));
const MerchantApp = lazy(() => import('./merchant/MerchantApp.tsx'));
const OpsApp = lazy(() => import('./ops/OpsApp.tsx'));

function Boot() {
  return (
    <div className="boot" data-testid="app-loading">
      <div className="boot-spinner" />
    </div>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter>
        <Suspense fallback={<Boot />}>
          <Routes>
            <Route path="/merchant/*" element={<MerchantApp />} />
            <Route path="/ops/*" element={<OpsApp />} />
            <Route path="/*" element={<BuyerApp />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </StrictMode>,
  );
}
