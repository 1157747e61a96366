// Hooks other views fill in when they are part of the build, so the chart
// can offer them without importing them (and says so when they are absent).

export const hooks: {
  /** Opens the timeline at an entity (set by the timeline view). */
  openTimeline: ((id: string) => void) | null;
} = { openTimeline: null };
