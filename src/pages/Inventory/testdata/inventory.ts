import type {
  AlertInstancesResponse,
  AliasDetail,
  AliasItem,
  ApplicationDetail,
  ApplicationItem,
  InventoryAliasWorkflowResponse,
  InventoryAnnotationsResponse,
  InventoryErrorResponse,
  InventoryListResponse,
  InventoryNote,
  InventoryRenewal,
  InventorySearchResponse,
  ServerDetail,
  ServerItem,
} from '../../../shared/api';
import type { RenderSeries } from '../../../api/inventory';
import { recordings } from './recorded';
import type { Recording } from './replay';

/** The recorded answers, typed against shared/api.ts so that a contract change breaks them first. */
export const recorded: Record<keyof typeof recordings, Recording> = recordings;

export const servers = recordings.servers.body as InventoryListResponse<ServerItem>;
export const applications = recordings.applications.body as InventoryListResponse<ApplicationItem>;
export const aliases = recordings.aliases.body as InventoryListResponse<AliasItem>;
/** After blog.ctl.example.edu was requested and confirmed and site02 re-pointed (pending again). */
export const aliasesAfter = recordings.aliasesAfter.body as InventoryListResponse<AliasItem>;
export const searchDb01 = recordings.searchDb01.body as InventorySearchResponse;
/** The server the tests create, as the worker answered its creation (no notes yet). */
export const createdServer = recordings.createServer.body as ServerDetail;
export const duplicateServer = recordings.createServerDuplicate.body as InventoryErrorResponse;
/** web05 after app-01 was deployed on it, blog.ctl.example.edu requested for it and a note added. */
export const web05 = recordings.serverWeb05.body as ServerDetail;
export const db01 = recordings.serverDb01.body as ServerDetail;
export const app01 = recordings.applicationApp01.body as ApplicationDetail;
export const blogPending = recordings.aliasBlogPending.body as AliasDetail;
export const aliasRequested = recordings.requestAlias.body as InventoryAliasWorkflowResponse;
export const aliasConfirmed = recordings.confirmBlog.body as InventoryAliasWorkflowResponse;
export const aliasChanged = recordings.changeSite02.body as InventoryAliasWorkflowResponse;
export const invalidFqdn = recordings.requestAliasInvalid.body as InventoryErrorResponse;
export const note = recordings.addNote.body as InventoryNote;
export const renewals = recordings.renewals.body as InventoryListResponse<InventoryRenewal>;
export const web05Series24h = recordings.renderServer24h.body as unknown as RenderSeries[];
export const app01Series7d = recordings.renderApp7d.body as unknown as RenderSeries[];

export const ANNOTATIONS_PATH = '/api/v1/inventory/annotations';
/** web05's notes and the status changes of the aliases pointing at it, over the week before the recording. */
export const web05Annotations = recordings.annotationsWeb05.body as InventoryAnnotationsResponse;
export const searchAddress = recordings.searchAddress.body as InventorySearchResponse;
/** web05 after its role and description were changed and its OS cleared. */
export const web05Updated = recordings.updateServerWeb05.body as ServerDetail;
/** 409 to deleting web05, which blog.ctl.example.edu still points at. */
export const deleteReferenced = recordings.deleteServerReferenced.body as InventoryErrorResponse & {
  references: string[];
};
/** Instances of "Web load" (on web05's `load`, alerting) and "Application errors" (on app-01's `errors`, OK). */
export const alertInstances = recordings.alertInstances.body as unknown as AlertInstancesResponse;

/**
 * The answers of one session in which every request succeeds: several recordings share a method and path (the failed
 * creations, the alias list after the workflow), and a test that wants those replays them over these.
 */
export const successes: Recording[] = Object.entries(recorded)
  .filter(
    ([name]) =>
      ![
        'createServerDuplicate',
        'createServerInvalid',
        'requestAliasInvalid',
        'aliasesAfter',
        'aliasSite02Changed',
        'deleteServerReferenced',
      ].includes(name)
  )
  .map(([, r]) => r)
  // The pages ask for annotations up to the moment they render: answer whatever range they ask for.
  .map((r) => (r === recorded.annotationsWeb05 ? { ...r, request: { ...r.request, path: ANNOTATIONS_PATH } } : r));

export const aliasesPending = recordings.aliasesPending.body as InventoryListResponse<AliasItem>;
export const web05Series7d = recordings.renderServer7d.body as unknown as RenderSeries[];
export const app01Series24h = recordings.renderApp24h.body as unknown as RenderSeries[];
