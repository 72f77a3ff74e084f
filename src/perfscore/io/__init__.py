"""Reading and writing tables: the JSON table format, JSON Lines, CSV and documents.

One reader per format: :mod:`perfscore.io.json` (the ``perfscore.table/1`` format and
JSON Lines), :mod:`perfscore.io.csv` (the long CSV format), :mod:`perfscore.io.documents`
(workbooks, Word reports, web pages, PDFs and their text); :mod:`perfscore.io.files`
finds the files and picks the reader.
"""
