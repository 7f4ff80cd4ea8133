import type { StorageTargetDto } from '@isola/contracts';
import { useEffect, useRef, useState } from 'react';
import { targetLocation } from '../../storage-status/RevokedBanner';
import { ActivateButton } from './ActivateButton';
import { MigrationProgress } from './MigrationProgress';

/** Why a target cannot be activated now, or null when it can. */
export function activationBlocker(target: StorageTargetDto): string | null {
  if (target.active) return 'This target already receives your uploads.';
  if (target.status === 'revoked') return 'Isola cannot reach this target: restore access first.';
  if (target.mode === 'isolated' && target.status !== 'verified')
    return 'Run the connection test first: only a verified target can be activated.';
  return null;
}

/** Step 3: make this target the studio's active one, which starts the migration of its media. */
export function ActivatePanel({
  target,
  active,
  onActivated,
}: {
  target: StorageTargetDto;
  active: StorageTargetDto | null;
  onActivated: () => void;
}) {
  const [migrationId, setMigrationId] = useState<string | null>(null);
  const [activated, setActivated] = useState(false);
  const blocker = activationBlocker(target);
  const outcome = useRef<HTMLParagraphElement>(null);
  // The button that had focus is gone: take the keyboard to what happened instead.
  useEffect(() => {
    if (activated) outcome.current?.focus();
  }, [activated]);
  const from = active ? targetLocation(active) : null;

  return (
    <section className="card admin-section" aria-labelledby="activate-title" id="activate">
      <h2 id="activate-title">Activate</h2>
      {!activated && (
        <>
          <p className="muted">{blocker ?? `Make ${targetLocation(target)} the place your studio’s media live.`}</p>
          <ActivateButton
            targetId={target.id}
            label="Activate this target"
            title={`Activate ${targetLocation(target)}?`}
            disabled={blocker !== null}
            onActivated={(answer) => {
              setActivated(true);
              setMigrationId(answer.migration?.id ?? null);
              onActivated();
            }}
            explanation={
              <>
                <p>New uploads go to {targetLocation(target)} as soon as you confirm.</p>
                {from ? (
                  <p>
                    Isola then moves every media already stored in {from} — sources and renditions — copying each object, checking its size
                    and checksum, and only then pointing the media at the new copy. Links keep working for every media throughout; you can
                    follow the progress here. The old copies are deleted only after a grace period, and never from your own bucket unless
                    your studio opted in.
                  </p>
                ) : (
                  <p>Your studio has no media to move.</p>
                )}
              </>
            }
          />
        </>
      )}
      {activated && (
        <>
          <p role="status" ref={outcome} tabIndex={-1}>
            <strong>{targetLocation(target)} is now active.</strong> New uploads go there.
          </p>
          {migrationId ? <MigrationProgress id={migrationId} /> : <p className="muted">There was nothing to migrate.</p>}
        </>
      )}
    </section>
  );
}
