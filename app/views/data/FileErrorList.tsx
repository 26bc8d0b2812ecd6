import { useAppStore } from '../../store/index.ts';
import { describeFileError } from '../../store/dataSlice.ts';

/** The files that could not be used, each with its reason, until dismissed. */
export function FileErrorList() {
  const errors = useAppStore((s) => s.fileErrors);
  const dismiss = useAppStore((s) => s.dismissFileErrors);
  if (errors.length === 0) return null;
  return (
    <section className="file-errors" aria-label="Files that could not be used">
      <div className="file-errors-head">
        <h3>
          {errors.length === 1
            ? '1 file could not be used'
            : `${errors.length} files could not be used`}
        </h3>
        <button type="button" onClick={dismiss}>
          Dismiss
        </button>
      </div>
      <ul>
        {errors.map((e, i) => (
          <li key={i} title={e.source}>
            {describeFileError(e)}
          </li>
        ))}
      </ul>
    </section>
  );
}
