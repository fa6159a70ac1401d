import type { DispatchRuleId } from '../rule-set/rule-ids.js';
import { checkAgeLimit } from './check-age-limit.js';
import { checkAppointmentInForce } from './check-appointment-in-force.js';
import { checkAvailability } from './check-availability.js';
import { checkDeclaredConflictRecusal } from './check-declared-conflict-recusal.js';
import { checkEmployerRecusal } from './check-employer-recusal.js';
import { checkGoodStanding } from './check-good-standing.js';
import { checkIndustryExpertise } from './check-industry-expertise.js';
import {
  checkOutsideEnterpriseCity,
  checkOutsideEnterpriseCounty,
} from './check-outside-enterprise-area.js';
import type { DispatchCheck } from './dispatch-context.js';

/** Every dispatch rule by id; a rule set chooses which of them apply. */
export const DISPATCH_RULES: Readonly<Record<DispatchRuleId, DispatchCheck>> = Object.freeze({
  'appointment-in-force': checkAppointmentInForce,
  'good-standing': (expert, _task, context) => checkGoodStanding(expert, context.ruleSet),
  'age-limit': checkAgeLimit,
  'employer-recusal': checkEmployerRecusal,
  'declared-conflict-recusal': checkDeclaredConflictRecusal,
  availability: checkAvailability,
  'industry-expertise': checkIndustryExpertise,
  'outside-enterprise-county': checkOutsideEnterpriseCounty,
  'outside-enterprise-city': checkOutsideEnterpriseCity,
});
