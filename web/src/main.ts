// Entry point: the page shell (skip link, header, navigation, language toggle, footer) and the hash router.
import './styles.css';
import { ApiError, currentRelease } from './api';
import { esc } from './format';
import { setLang, t, THEMES, themeName, type Lang } from './i18n';
import { hrefFor, parseHash } from './router';
import { flushDraws } from './figure';
import { renderHome } from './pages/home';
import { renderAccess } from './pages/access';

let releaseId: Promise<string> | null = null;
let renderSeq = 0;
let firstRender = true;

function shell(page: string, sub: string, lang: Lang): void {
  document.documentElement.lang = lang;
  document.getElementById('skip')!.textContent = t('skip');
  document.getElementById('site-title')!.textContent = t('site_title');
  const logo = document.getElementById('logo') as HTMLAnchorElement;
  logo.href = hrefFor('home');
  const nav = document.getElementById('nav')!;
  nav.setAttribute('aria-label', t('nav_label'));
  const items: [string, string, string][] = [['home', '', t('nav_home')], ...THEMES.map((th) => ['thema', th.id, themeName(th)] as [string, string, string]),
    ['keten', '', t('nav_chain')], ['kaart', '', t('nav_maps')], ['toegankelijkheid', '', t('nav_access')]];
  nav.innerHTML = '<ul class="das-nav__list">' + items.map(([p, s, label]) => {
    const current = p === page && (s === '' || s === sub);
    return `<li class="das-nav__item"><a class="das-nav__link" href="${hrefFor(p, s)}"${current ? ' aria-current="page"' : ''}>${esc(label)}</a></li>`;
  }).join('') + '</ul>';
  const st = parseHash();
  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  const params = Object.fromEntries(st.q.entries());
  if (other === 'en') params.lang = 'en'; else delete params.lang;
  const toggle = document.getElementById('lang-toggle') as HTMLAnchorElement;
  toggle.href = hrefFor(st.page, st.sub, params, false);
  toggle.textContent = t('lang_switch');
  toggle.lang = other;
  toggle.hreflang = other;
  toggle.setAttribute('aria-label', t('lang_switch_label'));
  document.getElementById('footer-source')!.textContent = t('footer_source');
  document.getElementById('footer-release-label')!.textContent = t('release');
}

async function render(): Promise<void> {
  const seq = ++renderSeq;
  const state = parseHash();
  const lang: Lang = state.q.get('lang') === 'en' ? 'en' : 'nl';
  setLang(lang);
  shell(state.page, state.sub, lang);
  releaseId ??= currentRelease();
  const release = await releaseId;
  document.getElementById('footer-release')!.textContent = release;
  const main = document.getElementById('main')!;
  const staging = document.createElement('div');
  main.setAttribute('aria-busy', 'true');
  try {
    switch (state.page) {
      case 'home': await renderHome(staging, release); break;
      case 'thema': await (await import('./pages/theme')).renderTheme(staging, state, release); break;
      case 'keten': await (await import('./pages/chain')).renderChain(staging, state, release); break;
      case 'kaart': await (await import('./pages/maps')).renderMaps(staging, state, release); break;
      case 'toegankelijkheid': renderAccess(staging); break;
      default: throw new ApiError(404, state.page, '');
    }
  } catch (e) {
    const nf = e instanceof ApiError && e.url === '';
    staging.innerHTML = `<h1 class="utrecht-heading-1" tabindex="-1">${esc(nf ? t('page_not_found') : t('load_error'))}</h1>
      <p class="utrecht-paragraph">${nf ? '' : esc((e as Error).message)}</p><p class="utrecht-paragraph"><a class="nl-link" href="${hrefFor('home')}">${esc(t('back_home'))}</a></p>`;
  }
  if (seq !== renderSeq) return;  // a newer navigation won
  main.replaceChildren(...Array.from(staging.childNodes));
  main.removeAttribute('aria-busy');
  await flushDraws();
  const h1 = main.querySelector('h1');
  document.title = `${h1?.textContent ?? ''} — ${t('site_title')}`;
  const w = window as unknown as { __dasFocus?: string };
  if (w.__dasFocus) {
    document.getElementById(w.__dasFocus)?.focus();
    w.__dasFocus = undefined;
  } else if (!firstRender) {
    h1?.focus();
  }
  firstRender = false;
  document.body.dataset.dasReady = String(seq);
}

// The skip link moves focus to the content without touching the hash (the hash holds the view state).
document.getElementById('skip')!.addEventListener('click', (e) => {
  e.preventDefault();
  document.getElementById('main')!.focus();
});
window.addEventListener('hashchange', () => { void render(); });
void render();
