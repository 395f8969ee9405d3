// Home: the six themes, each with its headline key figure (the first topic of DAS_Kerncijfers_<Thema>) for
// the Netherlands, the trend as a sparkline and the change versus the previous year.
import { topics, typed, key, lit } from '../api';
import { change, esc, fmt } from '../format';
import { renderFigure, pointsText } from '../figure';
import { t, THEMES, themeName, themeIntro, type Theme } from '../i18n';
import { hrefFor } from '../router';
import { sparkline } from '../sparkline';
import { codeList, years, yearLabel, padded, refAttrs } from './common';

export async function renderHome(main: HTMLElement, release: string): Promise<void> {
  main.innerHTML = `<h1 class="utrecht-heading-1" tabindex="-1">${esc(t('home_title'))}</h1>
    <p class="utrecht-paragraph utrecht-paragraph--lead">${esc(t('home_intro'))}</p>
    <h2 class="utrecht-heading-2">${esc(t('themes'))}</h2>
    <ul class="das-cards"></ul>`;
  const ul = main.querySelector('ul')!;
  const cards = THEMES.map((th) => {
    const li = document.createElement('li');
    li.className = 'das-card';
    li.innerHTML = `<h3 class="utrecht-heading-3 das-card__title"><a class="nl-link" href="${hrefFor('thema', th.id)}">${esc(themeName(th))}</a></h3>
      <p class="utrecht-paragraph das-card__intro">${esc(themeIntro(th))}</p><div class="das-card__body">${esc(t('loading'))}</div>`;
    ul.appendChild(li);
    return fillCard(li.querySelector('.das-card__body')!, th, release);
  });
  await Promise.all(cards);
}

async function fillCard(body: HTMLElement, th: Theme, release: string): Promise<void> {
  const table = `DAS_Kerncijfers_${th.stem}`;
  try {
    const [tops, perioden, regio] = await Promise.all([topics(table), codeList(table, 'Perioden'), codeList(table, 'RegioS')]);
    const head = tops[0];
    const decimals = head.Decimals ?? 0;
    const unit = head.Unit ?? '';
    const ys = years(perioden);
    const res = await typed(table, `RegioS eq ${lit(padded(regio, 'NL01'))} and substringof('JJ',Perioden)`, ['Perioden', head.Key]);
    const byPeriod = new Map(res.rows.map((r, i) => [key(r.Perioden), { v: r[head.Key] as number | null, sym: res.symbols.get(`${i}|${head.Key}`) }]));
    const values = ys.map((y) => byPeriod.get(key(y.Key))?.v ?? null);
    const last = ys[ys.length - 1];
    const lastV = values[values.length - 1];
    const prevV = values.length > 1 ? values[values.length - 2] : null;
    const ch = change(lastV, prevV, unit);
    const status = last?.Status ? t(last.Status as 'Voorlopig' | 'Definitief') : '';
    const labels = ys.map(yearLabel);
    body.innerHTML = `<p class="das-card__figure">${esc(head.Title)} <span class="das-card__region">(${esc(t('regions_nl'))}, ${esc(yearLabel(last))})</span></p>
      <p class="das-card__value"><span class="das-value" ${refAttrs(table, head.Key, { Perioden: key(last?.Key), RegioS: 'NL01' }, decimals)}>${esc(fmt(lastV, decimals, byPeriod.get(key(last?.Key))?.sym ?? 'x'))}</span>
        <span class="das-card__unit">${esc(unit)}</span></p>
      <p class="das-card__meta"><span class="das-badge das-badge--${esc(last?.Status ?? '')}">${esc(status)}</span>
        <span class="das-change">${ch ? `${esc(ch.text)} ${esc(t('change_prev'))}` : esc(t('no_prev'))}</span></p>`;
    renderFigure(body, {
      id: `home-${th.id}`, level: 4, title: `${t('trend_of')}: ${head.Title}`,
      summary: t('summary_trend', { title: head.Title, region: t('regions_nl'), points: pointsText(labels, values, decimals) }),
      table: { columns: [t('period'), `${head.Title} (${unit})`], decimals: [0, decimals],
        rows: ys.map((y, i) => ({ cells: [yearLabel(y), values[i]], symbols: [undefined, byPeriod.get(key(y.Key))?.sym],
          refs: [undefined, { table, topic: head.Key, coords: { Perioden: key(y.Key), RegioS: 'NL01' } }] })) },
      apiUrls: [res.url], tables: [table], release, chartHeight: 48,
      draw: (el) => { el.innerHTML = sparkline(values); },
    });
  } catch (e) {
    body.innerHTML = `<p class="das-notice">${esc(t('load_error'))}: ${esc((e as Error).message)}</p>`;
  }
}
