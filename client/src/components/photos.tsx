import { useEffect, useEffectEvent, useState } from 'react';
import { ErrorAlert } from './alert';

/**
 * Photos kept by the server (a demand's, a project's progress), fetched with the access token
 * (an <img> cannot send it) and shown full width, one under the other, for a phone.
 */
export function PhotoStrip({
  ids,
  load,
  alt,
}: {
  ids: readonly string[];
  load: (id: string) => Promise<Blob>;
  alt: (i: number) => string;
}) {
  const [urls, setUrls] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const key = ids.join(',');
  const fetchOne = useEffectEvent(load);

  useEffect(() => {
    let current = true;
    const made: string[] = [];
    Promise.all(
      key
        .split(',')
        .filter(Boolean)
        .map((id) => fetchOne(id)),
    ).then(
      (blobs) => {
        made.push(...blobs.map((b) => URL.createObjectURL(b)));
        if (current) setUrls(made);
      },
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
      made.forEach((u) => URL.revokeObjectURL(u));
    };
  }, [key]);

  if (error) return <ErrorAlert error={error} />;
  return urls.map((u, i) => <img key={u} className="paper-photo" src={u} alt={alt(i)} data-testid="list-photo" />);
}

/** Choosing up to six photos from the phone's camera or gallery; the caller sends them. */
export function PhotoPicker({
  id,
  label,
  countText,
  photos,
  onChange,
}: {
  id: string;
  label: string;
  /** What to say once some are chosen, e.g. "已选 2 张照片". */
  countText: (n: number) => string;
  photos: readonly File[];
  onChange: (photos: File[]) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        accept="image/*"
        multiple
        onChange={(e) => onChange([...(e.target.files ?? [])].slice(0, 6))}
        data-testid={id}
      />
      {photos.length > 0 && <p className="field-hint">{countText(photos.length)}</p>}
    </div>
  );
}
