from crocoqb_desktop.cli import main

raise SystemExit(main())
