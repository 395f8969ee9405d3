// The accessibility statement (toegankelijkheidsverklaring).
import { esc } from '../format';
import { lang, t } from '../i18n';

const NL = `
<p class="utrecht-paragraph">DAS wil dat iedereen deze website kan gebruiken. De website is ontworpen volgens de Web Content Accessibility Guidelines (WCAG) 2.1 op niveau AA, de norm die voor overheidswebsites geldt.</p>
<h2 class="utrecht-heading-2">Wat we doen</h2>
<ul class="utrecht-unordered-list">
<li>Elke grafiek heeft een tekstalternatief en een tabel met dezelfde cijfers (knop “Toon tabel”), een CSV-download en een link naar de API-query die de cijfers levert.</li>
<li>Alles werkt met alleen het toetsenbord; de focus is altijd zichtbaar. Met “Naar de inhoud” slaat u het menu over.</li>
<li>Kleur is nooit de enige drager van informatie: grafieken hebben ook patronen, vormen of labels en tabellen.</li>
<li>Onderdrukte cijfers (geheim, om onthulling van personen te voorkomen) tonen we als “x” met uitleg, nooit als 0.</li>
<li>De site werkt van 320 pixels breed tot grote schermen, met vergroting tot 400% en in print.</li>
<li>Elke pagina wordt automatisch getest met axe-core (WCAG 2.1 A en AA) in een browser, in het Nederlands en het Engels.</li>
</ul>
<h2 class="utrecht-heading-2">Bekende beperkingen</h2>
<ul class="utrecht-unordered-list">
<li>In de kaarten en het stroomdiagram zijn afzonderlijke gebieden en stromen niet met het toetsenbord te selecteren; de tabel onder de grafiek bevat dezelfde gegevens.</li>
<li>Titels en omschrijvingen van cijfers komen uit de statistische tabellen en zijn alleen in het Nederlands beschikbaar; definities uit de begrippenlijst zijn tweetalig.</li>
</ul>
<h2 class="utrecht-heading-2">Contact</h2>
<p class="utrecht-paragraph">Loopt u tegen een probleem aan? Meld het bij de beheerder van DAS; we reageren binnen vijf werkdagen.</p>`;

const EN = `
<p class="utrecht-paragraph">DAS wants everyone to be able to use this website. It is designed to the Web Content Accessibility Guidelines (WCAG) 2.1 level AA, the standard for Dutch government websites.</p>
<h2 class="utrecht-heading-2">What we do</h2>
<ul class="utrecht-unordered-list">
<li>Every chart has a text alternative and a table with the same figures (“Show table” button), a CSV download and a link to the API query that produced the figures.</li>
<li>Everything works with the keyboard alone; focus is always visible. “Skip to content” bypasses the menu.</li>
<li>Colour is never the only carrier of information: charts also have patterns, shapes or labels, and tables.</li>
<li>Suppressed figures (confidential, to prevent disclosure of persons) are shown as “x” with an explanation, never as 0.</li>
<li>The site works from 320 pixels wide to large screens, with zoom up to 400% and in print.</li>
<li>Every page is tested automatically with axe-core (WCAG 2.1 A and AA) in a browser, in Dutch and English.</li>
</ul>
<h2 class="utrecht-heading-2">Known limitations</h2>
<ul class="utrecht-unordered-list">
<li>Individual areas in the maps and flows in the flow diagram cannot be selected with the keyboard; the table below each chart holds the same data.</li>
<li>Titles and descriptions of figures come from the statistical tables and are available in Dutch only; glossary definitions are bilingual.</li>
</ul>
<h2 class="utrecht-heading-2">Contact</h2>
<p class="utrecht-paragraph">Did you run into a problem? Report it to the DAS administrator; we respond within five working days.</p>`;

export function renderAccess(main: HTMLElement): void {
  main.innerHTML = `<h1 class="utrecht-heading-1" tabindex="-1">${esc(t('access_title'))}</h1>${lang() === 'nl' ? NL : EN}`;
}
