from tvm_vote_tui.cli import main

raise SystemExit(main())
