"""Spreadsheets of the data-entry grid: a template an agency fills offline, reading it back, and
the export of a whole period. Plain functions; the views decide who may call them.

The template mirrors the grid (`grid.columns`): sheet "Data" has one row per region and, per grid
column, a numerator and a denominator column (percentage), a count column, or a Ya/Tidak column
(availability). A hidden sheet "_sikla" names the local government, period, indicator and catalog
version the template was made for, so an upload meant for another indicator is refused whole.

`read_workbook` applies the rules of `entry.ValuesForm` and reports every problem at once as
`(sheet, row, column letter, message)`; it returns values only when there is none.

One module per thing: `layout` (what the three share), `template`, `upload`, `export`.
"""

from .export import export_csv, export_filename, export_rows, export_xlsx
from .layout import Problem, SpreadsheetError, neutralise
from .template import template_filename, template_workbook
from .upload import read_workbook, wrong_kind

__all__ = [
    "Problem",
    "SpreadsheetError",
    "export_csv",
    "export_filename",
    "export_rows",
    "export_xlsx",
    "neutralise",
    "read_workbook",
    "template_filename",
    "template_workbook",
    "wrong_kind",
]
