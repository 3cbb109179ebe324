import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type AvatarData, FIT_COLORS, FIT_LEVELS, type FitLevel, levelKey } from '../../shared/sizing-api.ts';
import { avatarGeometry, type ViewGeometry } from './avatar-geometry.ts';

/**
 * AI try-on (AI试穿): the buyer's body drawn from estimated measurements, front and side, wearing the
 * garment's outline at `size`; each judged zone coloured tight / just right / loose. Not a photo.
 */
export function Avatar({ avatar, size }: { avatar: AvatarData; size: string }) {
  const { t } = useTranslation();
  const geo = useMemo(() => avatarGeometry(avatar, size), [avatar, size]);
  const levels = new Set(geo.front.bands.map((b) => b.level));
  return (
    <figure className="sz-avatar" data-testid="avatar" data-size={geo.size} data-kind={geo.kind}>
      <div className="sz-avatar-views">
        <View geo={geo.front} label={t('sizing.front')} testIds />
        <View geo={geo.side} label={t('sizing.side')} />
      </div>
      <ul className="sz-legend" aria-label={t('sizing.legend')}>
        {FIT_LEVELS.map((l) => (
          <li key={l} className={levels.has(l) ? undefined : 'sz-legend-dim'}>
            <span className="sz-swatch" style={{ background: FIT_COLORS[l] }} />
            {t(`sizing.levels.${levelKey(l)}`)}
          </li>
        ))}
      </ul>
      <figcaption className="sz-caption" data-testid="avatar-caption">
        {t('sizing.avatarCaption')}
      </figcaption>
    </figure>
  );
}

function View({ geo, label, testIds }: { geo: ViewGeometry; label: string; testIds?: boolean }) {
  const { t } = useTranslation();
  const clip = useId().replace(/:/g, '');
  return (
    <div className="sz-view">
      <svg
        viewBox={geo.viewBox}
        className="sz-svg"
        role="img"
        aria-label={label}
        preserveAspectRatio="xMidYMax meet"
      >
        <defs>
          <clipPath id={clip}>
            <path d={geo.garment} className="sz-anim" />
          </clipPath>
        </defs>
        {testIds && <path d={geo.arms} className="sz-skin sz-arms" />}
        <path d={geo.body} className="sz-skin" />
        <ellipse {...geo.head} className="sz-skin" />
        {geo.garment && (
          <>
            <path d={geo.garment} className="sz-garment sz-anim" />
            <g clipPath={`url(#${clip})`}>
              {geo.bands.map((b) => (
                <rect
                  key={b.zone}
                  x={b.x}
                  y={b.y}
                  width={b.width}
                  height={b.height}
                  className="sz-band"
                  style={{ fill: FIT_COLORS[b.level] }}
                  data-testid={testIds ? `avatar-zone-${b.zone}` : undefined}
                  data-fit={b.level}
                  data-ease={b.easeCm}
                >
                  <title>
                    {t(`sizing.zones.${b.zone}`)} · {t(`sizing.levels.${levelKey(b.level as FitLevel)}`)} (
                    {b.easeCm > 0 ? '+' : ''}
                    {b.easeCm} cm)
                  </title>
                </rect>
              ))}
            </g>
            <path
              d={geo.garment}
              className="sz-garment-line sz-anim"
              data-testid={testIds ? 'avatar-garment' : undefined}
            />
            {geo.creases && <path d={geo.creases} className="sz-crease" />}
          </>
        )}
      </svg>
      <div className="sz-view-label">{label}</div>
    </div>
  );
}
