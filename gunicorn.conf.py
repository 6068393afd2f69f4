"""gunicorn reads this file from the folder it is started in (``gunicorn wsgi:app``).

``on_starting`` runs the start-up checks of ``wsgi.py`` once in the master, before any worker
forks: a broken set-up is then one Dutch line and exit status 1, instead of that line from every
worker between gunicorn's own messages (``fund.setup_check``).
"""


def on_starting(server):
    from fund.app import create_app
    from fund.setup_check import exit_on_broken_setup

    with exit_on_broken_setup(code=1):
        create_app(check_database=True)
