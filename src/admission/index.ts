// Door of the admission concern (SPEC §9.4).
export { Admission, type AdmitOutcome, type AdmissionLimits } from './semaphore.js';
