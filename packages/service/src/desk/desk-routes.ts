import { createRouter } from '../http/create-router.js';
import { deskAssetRoutes } from './desk-assets.js';
import { documentDeskCore } from './desk-core-docs.js';
import { deskLoginRoutes } from './desk-login-routes.js';
import { deskRequestRoutes } from './desk-request-page.js';
import { deskTaskRoutes } from './desk-task-routes.js';
import { drawRecordRoutes } from './draw-record-page.js';

/** The dispatch desk's core: sign-in, request a panel, the live board and the draw record. */
export const deskRoutes = createRouter();

deskRoutes.route('/', deskAssetRoutes);
deskRoutes.route('/', deskLoginRoutes);
deskRoutes.route('/', deskRequestRoutes);
deskRoutes.route('/', deskTaskRoutes);
deskRoutes.route('/', drawRecordRoutes);
documentDeskCore(deskRoutes);
