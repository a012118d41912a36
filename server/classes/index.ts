/** Classes and enrolment: what other features may ask of them. */
export {
  teaches,
  getTaughtClass,
  getVisibleClass,
  enrolledClassIds,
  isEnrolled,
  renameMember,
  anonymiseMember,
  fillEnrolmentNames,
  type ClassSummary,
  type RosterEntry,
} from './service.ts';
export {
  archivedClassIds,
  classNames,
  classesTaughtBy,
  enrolledStudents,
  membershipsIn,
  membershipsOf,
  teachesAll,
  type ClassRef,
  type EnrolledStudent,
  type Membership,
} from './reads.ts';
