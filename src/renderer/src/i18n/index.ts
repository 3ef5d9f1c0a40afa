import { createI18n } from 'vue-i18n'
import en from './en'
import es, { type MessageSchema } from './es'

export const LOCALES = [
  { code: 'es', label: 'Español' },
  { code: 'en', label: 'English' }
] as const
export type Locale = (typeof LOCALES)[number]['code']

export const LOCALE_STORAGE_KEY = 'pastillero.locale'

function isLocale(value: unknown): value is Locale {
  return LOCALES.some((l) => l.code === value)
}

function storedLocale(): Locale {
  try {
    const value = localStorage.getItem(LOCALE_STORAGE_KEY)
    return isLocale(value) ? value : 'es'
  } catch {
    return 'es' // storage disabled: Spanish, and the choice lasts for this page only
  }
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'es',
  messages: { es, en }
})

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // storage disabled: keep the choice for this page only
  }
}

export function applyDocumentLocale(): void {
  document.documentElement.lang = currentLocale()
}
