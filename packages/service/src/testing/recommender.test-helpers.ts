import { expect } from 'vitest';
import { call, type TestContext } from './test-backends.test-helpers.js';

/**
 * Registers an enterprise and issues the province's recommender key for it (第二十二条), kept as
 * `t.keys['yn.recommender']` so that suites walking every role have one.
 *
 * @example
 * const secret = await addRecommenderKey(t, 'org-kgjt', '昆明钢铁集团有限公司');
 */
export async function addRecommenderKey(
  t: TestContext,
  organizationId = 'org-recommender',
  name = '云南测试集团有限公司',
): Promise<string> {
  const organization = await call(t, 'POST', '/v1/organizations', {
    key: 'yn.admin',
    json: { id: organizationId, name, kind: 'enterprise' },
  });
  expect([201, 409]).toContain(organization.status);
  const issued = await call(t, 'POST', '/v1/keys', {
    key: 'yn.admin',
    json: { role: 'recommender', label: `${name} 推荐`, organizationId },
  });
  expect(issued.status).toBe(201);
  const secret = String(issued.body.key);
  t.keys['yn.recommender'] = secret;
  return secret;
}
