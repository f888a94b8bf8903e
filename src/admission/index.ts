// Door of the admission concern (SPEC §9.4).
export { Admission, type AdmitOutcome, type AdmissionLimits, type OnGone } from './semaphore.js';
