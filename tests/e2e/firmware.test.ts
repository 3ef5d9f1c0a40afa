import { describe, expect, test } from 'vitest'
import { buildEsp32Image, PNG_BYTES } from '../helpers/esp32-image'
import {
  adminFetch,
  dropFile,
  screenshot,
  screenshotFits,
  SimDevice,
  useE2E,
  WIDTHS
} from './helpers'

const e2e = useE2E()

describe('firmware view', () => {
  test('a firmware dropped anywhere is uploaded and listed; a PNG is refused inline; release to a percentage', async () => {
    const kitchen = new SimDevice(e2e.core, 'AA:BB:CC:00:10:01', {
      name: 'Pastillero Cocina',
      firmware_version: '1.0.0'
    })
    await kitchen.heartbeat()
    const harness = await e2e.open()
    harness.allowConsoleError(/status of 422/)
    const { page } = harness
    // Under the test's 30 s, so a stuck step names its locator.
    page.setDefaultTimeout(10_000)
    await page.goto('/firmware')
    await page.getByText('Todavía no hay ningún firmware subido.').waitFor()
    await page.getByRole('navigation').getByRole('link', { name: 'Firmware' }).waitFor()

    // Not firmware: the server's reason is shown next to the drop zone.
    await dropFile(page, PNG_BYTES, 'foto.png')
    await page.getByTestId('chosen-file').getByText('foto.png').waitFor()
    await page.getByRole('button', { name: 'Subir firmware' }).click()
    const inline = page.locator('.upload-error')
    await inline.waitFor()
    expect(await inline.textContent()).toMatch(
      /No se pudo subir el firmware: Este archivo no es una imagen de firmware de ESP32 válida/
    )
    expect(await inline.getAttribute('role')).toBe('alert')
    await screenshot(page, 'firmware-error-desktop', false)

    // Real firmware, dropped on another part of the page, with notes.
    await page.getByLabel('Notas (opcional)').fill('Corrige la alarma de la noche')
    await dropFile(page, buildEsp32Image({ version: '1.2.0' }), 'pastillero-1.2.0.bin', '.lead')
    await page.getByTestId('chosen-file').getByText('pastillero-1.2.0.bin').waitFor()
    await page.getByRole('button', { name: 'Subir firmware' }).click()
    const item = page.getByRole('article', { name: '1.2.0' })
    await item.waitFor()
    await page.getByRole('status').filter({ hasText: 'Firmware 1.2.0 subido' }).waitFor()
    expect(await inline.count()).toBe(0)
    expect(await item.textContent()).toContain('Corrige la alarma de la noche')
    // Held: nothing is offered to any dispenser until the person chooses and confirms.
    const choice = page.getByTestId('release-choice')
    await choice.getByRole('heading', { name: '¿Quién recibe la versión 1.2.0?' }).waitFor()
    expect(await item.getByTestId('release-state').textContent()).toBe('En pausa')
    const check = await fetch(`${e2e.core.url}/api/ota/check/1.0.0`, {
      headers: { 'x-api-key': e2e.core.deviceKey }
    })
    expect(((await check.json()) as { update_available: boolean }).update_available).toBe(false)
    await screenshot(page, 'firmware-release-choice-es-desktop', false)
    await choice.getByLabel('Publicar para todos').check()
    await choice.getByRole('button', { name: 'Confirmar' }).click()
    await choice.waitFor({ state: 'detached' })
    await item.getByTestId('release-state').getByText('Publicada').waitFor()
    expect(await item.getByTestId('release-summary').textContent()).toBe('Para todos')

    // The same version again: 409 from the server, inline.
    harness.allowConsoleError(/status of 409/)
    await dropFile(page, buildEsp32Image({ version: '1.2.0', seed: 2 }), 'otra.bin')
    await page.getByRole('button', { name: 'Subir firmware' }).click()
    await inline.getByText('La versión 1.2.0 ya está subida.').waitFor()

    // Release to 25 % with the slider.
    await item.getByLabel('Un porcentaje').check()
    await item.getByLabel('Porcentaje de pastilleros').fill('25')
    await item.getByText('25 %', { exact: true }).waitFor()
    await item.getByRole('button', { name: 'Aplicar' }).click()
    await page.getByRole('status').filter({ hasText: 'Publicación de 1.2.0 actualizada' }).waitFor()
    await item.getByTestId('release-summary').getByText('Para el 25 %').waitFor()
    const listed = await adminFetch(e2e.core, 'GET', '/api/admin/firmware')
    expect((listed.data.firmware as any[])[0].release).toMatchObject({
      target: 'percent',
      percent: 25,
      paused: false
    })

    // Pause, then a change made elsewhere arrives live (firmware.updated on the stream).
    await item.getByRole('button', { name: 'Pausar' }).click()
    await item.getByTestId('release-state').getByText('En pausa').waitFor()
    const id = (listed.data.firmware as any[])[0].id as number
    await adminFetch(e2e.core, 'POST', `/api/admin/firmware/${id}/release`, {
      target: 'all',
      paused: false
    })
    await item.getByTestId('release-summary').getByText('Para todos').waitFor()
    await item.getByTestId('release-state').getByText('Publicada').waitFor()

    // OTA progress on the device card: installing, then failed with "Reintentar".
    await kitchen.event('ota_start', { version: '1.2.0' })
    await page.goto('/devices')
    const card = page.getByRole('article', { name: 'Pastillero Cocina' })
    const ota = card.getByTestId('ota-status')
    await ota.getByText('Actualización: Instalando').waitFor()
    expect(await ota.textContent()).toContain('1.0.0 → 1.2.0')
    await kitchen.event('ota_fail', { version: '1.2.0', error: 'md5 mismatch' })
    await ota.getByText('Actualización: Fallida').waitFor()
    await ota.getByText('El archivo llegó dañado (MD5 no coincide)').waitFor()
    await card.getByRole('button', { name: 'Reintentar' }).click()
    await ota.getByText('Actualización: Ofrecida').waitFor()
    await page.getByRole('status').filter({ hasText: 'Se volverá a ofrecer 1.2.0' }).waitFor()
  })

  test('a dropped firmware is not offered to a beating dispenser until the release is confirmed', async () => {
    const hall = new SimDevice(e2e.core, 'AA:BB:CC:00:10:02', {
      name: 'Pastillero Entrada',
      firmware_version: '1.0.0'
    })
    await hall.heartbeat()
    const offered = async () => {
      await hall.heartbeat()
      const res = await fetch(`${e2e.core.url}/api/ota/check/1.0.0?device_id=${hall.id}`, {
        headers: { 'x-api-key': e2e.core.deviceKey }
      })
      return ((await res.json()) as { update_available: boolean; version?: string }).version ?? null
    }
    const before = await offered()
    const { page } = await e2e.open()
    page.setDefaultTimeout(10_000)
    await page.goto('/firmware')
    await page.locator('main h1').waitFor()
    await dropFile(page, buildEsp32Image({ version: '9.0.0' }), 'pastillero-9.0.0.bin')
    await page.getByRole('button', { name: 'Subir firmware' }).click()
    const publish = page.getByTestId('release-choice')
    await publish.getByRole('heading', { name: '¿Quién recibe la versión 9.0.0?' }).waitFor()
    await screenshot(page, 'firmware-publish-desktop', false)
    // Uploaded, listed, and still nothing new offered: the dispenser keeps beating.
    expect(await offered()).toBe(before)

    // "Para estos dispensadores": only the one chosen, and nothing until "Confirmar".
    await publish.getByLabel('Para estos dispensadores').check()
    await publish.getByLabel('Pastillero Entrada').check()
    expect(await offered()).toBe(before)
    await publish.getByRole('button', { name: 'Confirmar' }).click()
    await page.getByRole('status').filter({ hasText: 'Versión 9.0.0 publicada' }).waitFor()
    await publish.waitFor({ state: 'detached' })
    expect(await offered()).toBe('9.0.0')
    const listed = await adminFetch(e2e.core, 'GET', '/api/admin/firmware')
    expect(
      (listed.data.firmware as any[]).find((f) => f.version === '9.0.0').release
    ).toMatchObject({ target: 'devices', devices: [hall.id], paused: false })
  })

  test('"Todavía no" keeps it held; API clients still get released-to-all by default', async () => {
    const { page } = await e2e.open()
    page.setDefaultTimeout(10_000)
    await page.goto('/firmware')
    await page.locator('main h1').waitFor()
    await dropFile(page, buildEsp32Image({ version: '9.1.0' }), 'pastillero-9.1.0.bin')
    await page.getByRole('button', { name: 'Subir firmware' }).click()
    const publish = page.getByTestId('release-choice')
    await publish.getByLabel('Todavía no').check()
    await publish.getByRole('button', { name: 'Confirmar' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: 'La versión 9.1.0 queda sin publicar' })
      .waitFor()
    await publish.waitFor({ state: 'detached' })
    const item = page.getByRole('article', { name: '9.1.0' })
    await item.getByTestId('release-state').getByText('En pausa').waitFor()

    // Without release=none (an API client of the original design): released to all at once.
    const cookie = await e2e.core.login()
    const form = new FormData()
    form.append(
      'file',
      new Blob([new Uint8Array(buildEsp32Image({ version: '9.2.0' }))]),
      'p-9.2.0.bin'
    )
    const res = await fetch(`${e2e.core.url}/api/admin/firmware`, {
      method: 'POST',
      headers: { cookie, origin: e2e.core.url },
      body: form
    })
    expect(res.status).toBe(201)
    const created = ((await res.json()) as any).firmware
    expect(created.release).toMatchObject({ target: 'all', paused: false })
    const bad = new FormData()
    bad.append('release', 'later')
    bad.append(
      'file',
      new Blob([new Uint8Array(buildEsp32Image({ version: '9.3.0' }))]),
      'p-9.3.0.bin'
    )
    const refused = await fetch(`${e2e.core.url}/api/admin/firmware`, {
      method: 'POST',
      headers: { cookie, origin: e2e.core.url },
      body: bad
    })
    expect(refused.status).toBe(422)
    expect(((await refused.json()) as any).error.field).toBe('release')
  })

  test('screenshots of the firmware view at desktop and phone width', async () => {
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const harness = await e2e.open({ viewport })
      const { page } = harness
      // Under the test's 30 s, so a stuck step names its locator.
      page.setDefaultTimeout(10_000)
      await page.goto('/firmware')
      await page.getByRole('article', { name: '1.2.0' }).waitFor()
      await screenshotFits(page, `firmware-${size}`)
      await e2e.finish()
    }
  })
})
