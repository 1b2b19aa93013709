'use client'

import type { FieldDescriptionClientProps, NumberFieldClientProps } from 'payload'

import { TextInput, useField, useFormFields, useTranslation } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

import { formatMoneyFor } from '../core/money.js'
import { majorUnitsText, parseMajorUnits } from './moneyInput.js'
import { usePluginT } from './usePluginT.js'

/** Where a money field finds its currency: a sibling field, else a fixed one. */
export interface MoneyProps {
  /** Name of the field holding the currency (top level of the same document). */
  currencyField?: string
  /** The currency when that field is empty. */
  defaultCurrency?: string
}

const labelOf = (
  label: unknown,
  t: (key: string) => string,
  language: string,
): string | undefined => {
  if (typeof label === 'string') {
    return label
  }
  if (typeof label === 'function') {
    return String((label as (args: { t: unknown }) => unknown)({ t }))
  }
  if (label && typeof label === 'object') {
    const byLanguage = label as Record<string, string>
    return byLanguage[language] ?? Object.values(byLanguage)[0]
  }
  return undefined
}

/**
 * Edit field for an amount kept in integer minor units: the admin types it in the currency's units
 * (`15.00` USD, `1,500` JPY), sees it written for their locale, and the document stores `1500`.
 * Text that is no amount changes nothing and says so: saving then keeps the stored amount.
 */
export function MoneyField(props: MoneyProps & NumberFieldClientProps) {
  const { path, field, readOnly, currencyField, defaultCurrency = 'usd' } = props
  const { value, setValue, showError } = useField<number | string>({ path })
  const currencyValue = useFormFields(([fields]) =>
    currencyField ? fields[currencyField]?.value : undefined,
  )
  const currency = (typeof currencyValue === 'string' && currencyValue) || defaultCurrency
  const { i18n, t } = useTranslation()
  const pluginT = usePluginT()
  const [text, setText] = useState(() =>
    typeof value === 'number' ? majorUnitsText(value, currency) : String(value ?? ''),
  )
  // A value changed elsewhere (a reset, another currency's digits) shows through.
  useEffect(() => {
    if (typeof value === 'number' && parseMajorUnits(text, currency) !== value) {
      setText(majorUnitsText(value, currency))
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value, currency])
  const parsed = parseMajorUnits(text, currency)
  const description = (field.admin as { description?: unknown } | undefined)?.description
  return (
    <div data-testid={`lk-money-${path}`}>
      <TextInput
        AfterInput={
          parsed !== null || text.trim() === '' ? (
            <div className="field-description" data-testid="lk-money-preview">
              {parsed !== null ? formatMoneyFor(parsed, currency, i18n.language) : ''}
            </div>
          ) : (
            <div className="field-error" data-testid="lk-money-invalid" role="alert">
              {pluginT('moneyNotAnAmount', {
                amount:
                  typeof value === 'number' ? formatMoneyFor(value, currency, i18n.language) : '—',
              })}
            </div>
          )
        }
        description={
          labelOf(
            description,
            t as never,
            i18n.language,
          ) as FieldDescriptionClientProps['description']
        }
        label={labelOf(field.label, t as never, i18n.language)}
        onChange={(event: { target: { value: string } }) => {
          const typed = event.target.value
          setText(typed)
          const minor = parseMajorUnits(typed, currency)
          // Text that is no amount changes nothing: saving keeps the stored amount, and says so.
          if (typed.trim() === '') {
            setValue(null)
          } else if (minor !== null) {
            setValue(minor)
          }
        }}
        path={path}
        readOnly={readOnly}
        required={field.required}
        showError={showError}
        value={text}
      />
    </div>
  )
}

/** List cell for an amount in minor units, written for the reader's locale in its row's currency. */
export function MoneyCell({
  cellData,
  rowData,
  currencyField,
  defaultCurrency = 'usd',
}: { cellData?: unknown; rowData?: Record<string, unknown> } & MoneyProps) {
  const { i18n } = useTranslation()
  if (typeof cellData !== 'number') {
    return <span>—</span>
  }
  const fromRow = currencyField ? rowData?.[currencyField] : undefined
  const currency = (typeof fromRow === 'string' && fromRow) || defaultCurrency
  return <span>{formatMoneyFor(cellData, currency, i18n.language)}</span>
}
