// UI texts in Dutch (default) and English. Data titles come from the API (Dutch), definitions from the
// glossary (/api/concepts, both languages).
export type Lang = 'nl' | 'en';

let current: Lang = 'nl';
export function setLang(lang: Lang): void { current = lang; }
export function lang(): Lang { return current; }

const texts = {
  site_title: ['Cijfers strafrechtketen', 'Criminal justice chain statistics'],
  skip: ['Naar de inhoud', 'Skip to content'],
  nav_label: ['Hoofdmenu', 'Main menu'],
  nav_home: ['Home', 'Home'],
  nav_chain: ['De keten', 'The chain'],
  nav_maps: ['Kaarten', 'Maps'],
  nav_access: ['Toegankelijkheid', 'Accessibility'],
  lang_switch: ['English', 'Nederlands'],
  lang_switch_label: ['Switch to English', 'Schakel naar Nederlands'],
  home_title: ['Cijfers over de strafrechtketen', 'Statistics on the criminal justice chain'],
  home_intro: [
    'Kerncijfers over preventie, slachtofferschap, opsporing, vervolging, berechting en tenuitvoerlegging, uit één release van de Data Alliantie Strafrechtketen (DAS). Alle cijfers zijn beveiligd tegen onthulling van personen.',
    'Key figures on prevention, victimisation, investigation, prosecution, adjudication and execution of sanctions, from one release of the criminal justice data platform (DAS). All figures are protected against disclosure of persons.'],
  themes: ['Thema\'s', 'Themes'],
  release: ['Release', 'Release'],
  status: ['Status', 'Status'],
  Voorlopig: ['voorlopig', 'provisional'],
  Definitief: ['definitief', 'final'],
  change_prev: ['t.o.v. vorig jaar', 'vs previous year'],
  no_prev: ['geen vorig jaar', 'no previous year'],
  pp: ['%-punt', 'pp'],
  show_table: ['Toon tabel', 'Show table'],
  hide_table: ['Verberg tabel', 'Hide table'],
  csv: ['Download CSV (deze grafiek)', 'Download CSV (this chart)'],
  csv_full: ['Volledige tabel (CSV)', 'Full table (CSV)'],
  api_query: ['API-query', 'API query'],
  sup_x: ['geheim: onderdrukt om onthulling van personen te voorkomen (geen nul)', 'confidential: suppressed to prevent disclosure of persons (not zero)'],
  sup_dot: ['niet beschikbaar', 'not available'],
  legend_symbols: ['x = geheim (onderdrukt, geen nul); . = niet beschikbaar', 'x = confidential (suppressed, not zero); . = not available'],
  year: ['Jaar', 'Year'],
  region: ['Regio', 'Region'],
  regions_nl: ['Nederland', 'The Netherlands'],
  provinces: ['Provincies', 'Provinces'],
  municipalities: ['Gemeenten', 'Municipalities'],
  police_units: ['Politie-eenheden', 'Police units'],
  figure: ['Kerncijfer', 'Key figure'],
  value: ['Waarde', 'Value'],
  change: ['Verandering', 'Change'],
  unit: ['Eenheid', 'Unit'],
  definition: ['Definitie', 'Definition'],
  period: ['Periode', 'Period'],
  trend_of: ['Ontwikkeling', 'Trend'],
  key_figures: ['Alle kerncijfers', 'All key figures'],
  key_figures_caption: ['Kerncijfers in {year}, {region}', 'Key figures in {year}, {region}'],
  by_province: ['Naar provincie', 'By province'],
  drill: ['Uitsplitsing', 'Breakdown'],
  breakdown_by: ['Uitsplitsen naar', 'Break down by'],
  Delict: ['delictgroep', 'offence group'],
  Leeftijd: ['leeftijd', 'age group'],
  Geslacht: ['geslacht', 'sex'],
  inflow_of: ['Instroom {stage} naar {dim}, {year}', 'Inflow {stage} by {dim}, {year}'],
  not_available: ['Deze tabel is (nog) niet beschikbaar in deze release.', 'This table is not (yet) available in this release.'],
  load_error: ['Gegevens konden niet worden geladen', 'Data could not be loaded'],
  loading: ['Gegevens laden…', 'Loading data…'],
  chain_title: ['De strafrechtketen als één stroom', 'The criminal justice chain as one flow'],
  chain_intro: [
    'In-, door- en uitstroom van zaken door de keten: van geregistreerd misdrijf tot tenuitvoerlegging. Elke stap telt in zijn eigen eenheid (misdrijf, verdachte, zaak, uitspraak, sanctie); de breedte van een stroom is het aantal in die eenheid.',
    'Inflow, throughput and outflow of cases through the chain: from registered crime to execution. Each stage counts its own unit (crime, suspect, case, judgment, sanction); a flow\'s width is the number in that unit.'],
  sankey_title: ['Stroom door de keten, {year}, {region}', 'Flow through the chain, {year}, {region}'],
  stocks_title: ['Instroom, uitstroom en voorraad per schakel, {year}, {region}', 'Inflow, outflow and stock per stage, {year}, {region}'],
  stage: ['Schakel', 'Stage'],
  from: ['Van', 'From'],
  to: ['Naar', 'To'],
  count: ['Aantal', 'Number'],
  inflow: ['Instroom', 'Inflow'],
  outflow: ['Uitstroom', 'Outflow'],
  stock: ['Voorraad', 'Stock'],
  exit_other: ['overig', 'other'],
  throughput_title: ['Doorlooptijden en normen, {year} ({method})', 'Throughput times and norms, {year} ({method})'],
  method: ['Methode', 'Method'],
  route: ['Traject', 'Route'],
  median: ['Mediaan (dagen)', 'Median (days)'],
  p80: ['P80 (dagen)', 'P80 (days)'],
  p90: ['P90 (dagen)', 'P90 (days)'],
  within_norm: ['Binnen norm (%)', 'Within norm (%)'],
  norm: ['Norm (dagen)', 'Norm (days)'],
  maps_title: ['Kaarten', 'Maps'],
  maps_intro: [
    'Kerncijfers per gemeente en provincie (indeling 2024), per 1.000 of 10.000 inwoners. Grenzen: Bron: CBS / Kadaster, CC BY 4.0. Inwoneraantallen 2024: Bron: CBS / Politie, CC BY 4.0.',
    'Key figures per municipality and province (2024 boundaries), per 1,000 or 10,000 inhabitants. Boundaries: Source: CBS / Kadaster, CC BY 4.0. Populations 2024: Source: CBS / Politie, CC BY 4.0.'],
  level: ['Niveau', 'Level'],
  indicator: ['Indicator', 'Indicator'],
  map_title: ['{indicator}, {year}, per {level}', '{indicator}, {year}, by {level}'],
  gemeente: ['gemeente', 'municipality'],
  provincie: ['provincie', 'province'],
  compare_with: ['Vergelijk gemeente', 'Compare municipality'],
  similar_title: ['{name} en de tien gemeenten met het meest vergelijkbare inwonertal, {year}', '{name} and the ten municipalities closest in population, {year}'],
  population: ['Inwoners (2024)', 'Inhabitants (2024)'],
  derived_rate: ['Geregistreerde misdrijven per 1 000 inwoners (instroom politie / inwoners 2024)', 'Registered crimes per 1,000 inhabitants (police inflow / 2024 population)'],
  access_title: ['Toegankelijkheidsverklaring', 'Accessibility statement'],
  footer_source: ['Bron: DAS, op basis van gegevens van ketenpartners. Kaartgrenzen: CBS / Kadaster, CC BY 4.0. Inwoners: CBS / Politie, CC BY 4.0.',
    'Source: DAS, based on data from chain partners. Boundaries: CBS / Kadaster, CC BY 4.0. Population: CBS / Politie, CC BY 4.0.'],
  police_recorded: ['Politiecijfers zijn politionele cijfers (door de politie geregistreerd).', 'Police figures are police-recorded figures.'],
  summary_trend: ['{title} in {region}: {points}.', '{title} in {region}: {points}.'],
  choose: ['Toon', 'Show'],
  page_not_found: ['Pagina niet gevonden', 'Page not found'],
  back_home: ['Terug naar home', 'Back to home'],
} as const;

export type TextKey = keyof typeof texts;

export function t(key: TextKey, vars: Record<string, string | number> = {}): string {
  let s: string = texts[key][current === 'nl' ? 0 : 1];
  for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export interface Theme { id: string; stem: string; nl: string; en: string; introNl: string; introEn: string; stages: string[] }

// The six themes (DOMAIN.md section 2). `stem` is the table stem DAS_Kerncijfers_<stem>; `stages` the flow
// tables (DAS_<stage>_Kenmerken) used for the breakdown by offence group, age and sex.
export const THEMES: Theme[] = [
  { id: 'preventie', stem: 'Preventie', nl: 'Preventie', en: 'Prevention', stages: ['Halt', 'Verdachten'],
    introNl: 'Voorkomen van criminaliteit, met nadruk op jongeren: Halt-verwijzingen, minderjarige verdachten en jeugdrecidive.',
    introEn: 'Preventing crime, with a focus on young people: Halt referrals, juvenile suspects and juvenile reoffending.' },
  { id: 'slachtofferschap', stem: 'Slachtofferschap', nl: 'Slachtofferschap', en: 'Victimisation', stages: ['Misdrijven'],
    introNl: 'Hoeveel mensen slachtoffer worden, hoe vaak zij aangifte doen en welke misdrijven zij meemaken.',
    introEn: 'How many people become victims, how often they report it and which crimes they experience.' },
  { id: 'opsporing', stem: 'Opsporing', nl: 'Opsporing', en: 'Investigation', stages: ['Misdrijven', 'Verdachten'],
    introNl: 'Geregistreerde misdrijven, opheldering en verdachten (politionele cijfers).',
    introEn: 'Registered crimes, clearance and suspects (police-recorded figures).' },
  { id: 'vervolging', stem: 'Vervolging', nl: 'Vervolging', en: 'Prosecution', stages: ['OM'],
    introNl: 'Instroom bij het Openbaar Ministerie, beslissingen (dagvaarding, strafbeschikking, sepot) en werkvoorraad.',
    introEn: 'Inflow at the Public Prosecution Service, decisions (summons, penalty order, dismissal) and stock.' },
  { id: 'berechting', stem: 'Berechting', nl: 'Berechting', en: 'Adjudication', stages: ['Rechtspraak'],
    introNl: 'Uitspraken van de rechter, veroordelingen en opgelegde straffen.',
    introEn: 'Court judgments, convictions and sentences imposed.' },
  { id: 'tenuitvoerlegging', stem: 'Tenuitvoerlegging', nl: 'Tenuitvoerlegging', en: 'Execution of sanctions', stages: ['CJIB', 'DJI', 'Reclassering'],
    introNl: 'Inning van boetes, detentie en taakstraffen.',
    introEn: 'Collection of fines, detention and community service.' },
];

export function themeName(th: Theme): string { return current === 'nl' ? th.nl : th.en; }
export function themeIntro(th: Theme): string { return current === 'nl' ? th.introNl : th.introEn; }

// Chain stages in chain order: table stem and display names.
export const STAGES: { stem: string; id: string; nl: string; en: string }[] = [
  { stem: 'Misdrijven', id: 'police_registration', nl: 'Geregistreerde misdrijven', en: 'Registered crimes' },
  { stem: 'Verdachten', id: 'police_suspect', nl: 'Verdachten (politie)', en: 'Suspects (police)' },
  { stem: 'Halt', id: 'halt', nl: 'Halt', en: 'Halt' },
  { stem: 'OM', id: 'om', nl: 'Openbaar Ministerie', en: 'Public Prosecution Service' },
  { stem: 'RvdK', id: 'rvdk', nl: 'Raad voor de Kinderbescherming', en: 'Child Protection Board' },
  { stem: 'Rechtspraak', id: 'court', nl: 'Rechtspraak', en: 'Courts' },
  { stem: 'CJIB', id: 'cjib', nl: 'CJIB (inning)', en: 'CJIB (collection)' },
  { stem: 'DJI', id: 'dji', nl: 'DJI (detentie)', en: 'DJI (custody)' },
  { stem: 'Reclassering', id: 'reclassering', nl: 'Reclassering', en: 'Probation service' },
];
export function stageName(stem: string): string {
  const s = STAGES.find((x) => x.stem === stem);
  return s ? (current === 'nl' ? s.nl : s.en) : stem;
}
