# Pure Python, no ORM: the shops' HTTP clients, webhook signatures, spreadsheet
# parsing. Importable and testable on their own.
