/** The doctor's report: patient name, medicine and dose, early doses in words. */
export default {
  reportMore: {
    patientLabel: "Patient's name",
    patientHint: 'Printed on the report and remembered in this browser for this dispenser.',
    dispenser: 'Dispenser',
    medicine: 'Medicine',
    dose: 'Dose',
    early: '{time} early'
  }
}
