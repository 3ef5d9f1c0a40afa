/** The doctor's report: patient name, medicine and dose, early doses in words. */
export default {
  reportMore: {
    patientLabel: 'Nombre del paciente',
    patientHint: 'Se imprime en el informe y se recuerda en este navegador para este pastillero.',
    dispenser: 'Pastillero',
    medicine: 'Medicamento',
    dose: 'Dosis'
  }
}
