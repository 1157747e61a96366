// The one wording of "what is selected", shared by the status bar and the
// details panel so the two always agree.

export function selectionText(entities: number, links: number, bundles = 0): string {
  const parts: string[] = [];
  if (entities > 0) parts.push(`${entities} ${entities === 1 ? 'entity' : 'entities'}`);
  if (links > 0) parts.push(`${links} ${links === 1 ? 'link' : 'links'}`);
  if (bundles > 0) parts.push(`${bundles} ${bundles === 1 ? 'bundle' : 'bundles'}`);
  return parts.length === 0 ? '' : `${parts.join(' and ')} selected`;
}
