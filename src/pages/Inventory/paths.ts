import type { InventoryKind } from '../../shared/api';
import { APP_ID, ROUTES } from '../../constants';

/** Where the inventory's pages live: absolute, so that links work the same from every page of the app. */
export const INVENTORY_URL = `/a/${APP_ID}/${ROUTES.inventory}`;

export const LIST_TABS = ['server', 'application', 'alias'] as const;
export type ListTab = (typeof LIST_TABS)[number];

export function listUrl(tab: ListTab): string {
  return `${INVENTORY_URL}?tab=${tab}`;
}

/** An entity's page: `/a/<app>/inventory/server/web1.example.net`. */
export function entityUrl(kind: InventoryKind, key: string): string {
  return `${INVENTORY_URL}/${kind}/${encodeURIComponent(key)}`;
}

export const RENEWALS_URL = `${INVENTORY_URL}/renewals`;

/** The alias request form, optionally with the server the alias will point at filled in. */
export function aliasRequestUrl(server?: string): string {
  return `${INVENTORY_URL}/request-alias${server ? `?server=${encodeURIComponent(server)}` : ''}`;
}
