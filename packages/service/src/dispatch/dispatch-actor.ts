/** The audit actor of the dispatcher's own decisions (sweeps, backfills, deliveries). */
export const DISPATCH_ACTOR = { keyId: 'system:dispatch', authorityId: null } as const;
