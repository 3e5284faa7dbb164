import React from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { render } from '@testing-library/react';

import { Inventory } from '../Inventory';
import { INVENTORY_URL } from '../paths';

/** Shows where the router is, so tests can see a navigation as a user would see the address bar change. */
function Location() {
  const location = useLocation();
  return <output aria-label="Location">{location.pathname + location.search}</output>;
}

/** The inventory as Grafana mounts it: inside the app's router, at `url`. */
export function renderInventory(url: string = INVENTORY_URL) {
  return render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path={`${INVENTORY_URL}/*`} element={<Inventory />} />
      </Routes>
      <Location />
    </MemoryRouter>
  );
}
