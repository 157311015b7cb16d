import { api, ok } from '../api/client';
import { useDirectory } from '../lib/directory';
import { useLoad } from '../lib/use-load';
import { ErrorNote, Loading } from './Notice';

// What a group gives its members: everything they reach through it, nested groups and resource levels, each
// with the groups it comes through. Shown where people decide on access: the request card, the item page.

export function Contents({ groupId, headingLevel = 'h3' }: { groupId: string; headingLevel?: 'h2' | 'h3' }) {
  const dir = useDirectory();
  const contents = useLoad(
    () => ok(api.GET('/api/v1/groups/{id}/contents', { params: { path: { id: groupId } } })),
    [groupId],
  );
  const Heading = headingLevel;
  const name = dir.groupName(groupId);
  return (
    <div className="contents">
      <Heading className="small-heading">What {name} gives access to</Heading>
      {contents.loading && !contents.data && <Loading what="Reading what it contains" />}
      <ErrorNote error={contents.error} />
      {contents.data &&
        (contents.data.items.length === 0 ? (
          <p className="muted small">Membership of {name} itself, nothing nested in it.</p>
        ) : (
          <ul className="plain">
            {contents.data.items.map((i) => (
              <li key={`${i.groupId ?? ''}${i.resourceId ?? ''}${i.accessLevel ?? ''}`}>
                {dir.itemName(i)}
                {i.via.length > 1 && (
                  <span className="muted small"> via {i.via.slice(1).map(dir.groupName).join(' → ')}</span>
                )}
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}
