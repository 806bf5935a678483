"""Teachers' tools: assignment notebooks, class grading, Otter export, the student site.

This package lives beside ``course`` and is not installed with it: a learner's
``pip install`` carries no teachers' tools. Run the commands from the
repository root:

* ``python -m classroom.assign CHAPTER`` writes one chapter's assignment
  notebook (:mod:`classroom.assign`);
* ``python -m classroom.grade FOLDER --chapter CHAPTER`` grades a folder of
  submissions into a gradebook (:mod:`classroom.grade`);
* ``python -m classroom.otter CHAPTER`` exports the chapter's checkers as
  Otter-Grader tests (:mod:`classroom.otter`);
* ``python -m classroom.student_site`` builds the book with every solution
  removed (:mod:`classroom.student_site`).

Example:
    >>> from classroom.spec import read_assignment
    >>> read_assignment("01").exercises[0].variable
    'answer_1'
"""
