import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { render } from '@testing-library/react';

import { APP_ID } from '../../constants';
import { ALERTS_ROUTE } from './paths';

/** Renders the Alerts pages at `path` (under the app's alerts root) inside a router, as Grafana mounts them. */
export function renderAt(path: string, page: React.ReactElement) {
  const root = `/a/${APP_ID}/${ALERTS_ROUTE}`;
  return render(
    <MemoryRouter initialEntries={[`${root}${path}`]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path={`${root}/*`} element={page} />
      </Routes>
    </MemoryRouter>
  );
}

/**
 * Grafana's Drawer measures its title and scroll shadows with ResizeObserver and IntersectionObserver, which jsdom
 * lacks; nothing in these tests depends on sizes.
 */
export function stubObservers() {
  // Combobox measures its options' text on a canvas, which jsdom does not draw.
  HTMLCanvasElement.prototype.getContext = (() => ({
    measureText: (text: string) => ({ width: text.length * 7 }),
  })) as unknown as HTMLCanvasElement['getContext'];
  for (const name of ['ResizeObserver', 'IntersectionObserver']) {
    if (!(name in window)) {
      Object.defineProperty(window, name, {
        writable: true,
        value: class {
          observe() {}
          unobserve() {}
          disconnect() {}
        },
      });
    }
  }
}
