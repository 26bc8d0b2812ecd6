/**
 * What an item is, small: an image item's thumbnail, a text item's text, an imported row's
 * source, or a mixture's parts. Used by the galleries, the comparison and the Item view.
 */
import { displayLabel } from '../../lib/labelSearch.ts';
import { memo } from 'react';
import { useObjectUrl } from '../../lib/useObjectUrl.ts';
import type { ExploreItem } from '../../store/exploreItems.ts';
import './item.css';

export interface ItemPreviewProps {
  readonly item: ExploreItem;
  /** 'small' for gallery tiles (default), 'large' for the Item view. */
  readonly size?: 'small' | 'large';
}

export const ItemPreview = memo(function ItemPreview({ item, size = 'small' }: ItemPreviewProps) {
  const url = useObjectUrl(item.thumbnail);
  const cls = `explore-preview explore-preview-${size}`;
  if (item.kind === 'image') {
    return (
      <div className={cls}>
        {url ? (
          <img src={url} alt={item.label} loading="lazy" />
        ) : (
          <span className="explore-preview-none" aria-hidden="true">
            ▧
          </span>
        )}
      </div>
    );
  }
  if (item.kind === 'mixture') {
    return (
      <div className={cls}>
        <p className="explore-preview-mixture">
          mixture of {(item.parts ?? []).map((p) => `“${p}”`).join(' + ')}
        </p>
      </div>
    );
  }
  return (
    <div className={cls}>
      <p className="explore-preview-text">
        {item.kind === 'text' ? (item.text ?? item.label) : displayLabel(item.label)}
      </p>
    </div>
  );
});
