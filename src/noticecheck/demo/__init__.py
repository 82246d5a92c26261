"""A self-contained demo: pretend school websites on loopback, scanned like a real LA's.

    notices.py    the notices the demo publishes (the corpus, or built-in texts)
    documents.py  writers for HTML, PDF, scanned PDF and DOCX versions of a notice
    sites.py      the demo schools, their pages and their GIAS-style school list
    server.py     one loopback HTTP server per site, recording requests
    runner.py     `noticecheck demo`: serve, scan twice, write the dashboard
"""
