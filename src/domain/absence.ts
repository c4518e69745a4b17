import { type IsoDate, toUsDate } from './calendar.js';

/** An absence as stored: either end may be open; both open means no absence. */
export interface Absence {
  awayFrom: IsoDate | null;
  awayUntil: IsoDate | null;
}

/** Where today lies relative to an absence, both ends inclusive. */
export type AbsencePhase = 'none' | 'ahead' | 'current' | 'past';

export function absencePhase(absence: Absence, today: IsoDate): AbsencePhase {
  const { awayFrom, awayUntil } = absence;
  if (awayFrom === null && awayUntil === null) return 'none';
  if (awayFrom !== null && today < awayFrom) return 'ahead';
  if (awayUntil !== null && today > awayUntil) return 'past';
  return 'current';
}

/** What person-info says about an absence on a given day. */
export interface AbsenceView {
  /** Absent today. */
  away: boolean;
  awayInfo: string | null;
  awayFrom: IsoDate | null;
  awayUntil: IsoDate | null;
  /** Whether a substitute is to be shown (absence current or ahead). */
  showsSubstitute: boolean;
}

const NO_ABSENCE: AbsenceView = {
  away: false,
  awayInfo: null,
  awayFrom: null,
  awayUntil: null,
  showsSubstitute: false,
};

export function viewAbsence(absence: Absence, today: IsoDate): AbsenceView {
  const phase = absencePhase(absence, today);
  if (phase === 'none' || phase === 'past') return NO_ABSENCE;
  const { awayFrom, awayUntil } = absence;
  return {
    away: phase === 'current',
    awayInfo: phase === 'current' ? currentInfo(awayUntil) : aheadInfo(awayFrom, awayUntil),
    awayFrom,
    awayUntil,
    showsSubstitute: true,
  };
}

function currentInfo(awayUntil: IsoDate | null): string {
  return awayUntil === null ? 'Away.' : `Away until ${toUsDate(awayUntil)}.`;
}

function aheadInfo(awayFrom: IsoDate | null, awayUntil: IsoDate | null): string {
  // An absence is ahead only when it has a start.
  const from = `Away from ${toUsDate(awayFrom as IsoDate)}`;
  return awayUntil === null ? `${from}.` : `${from} until ${toUsDate(awayUntil)}.`;
}
