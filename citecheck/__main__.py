from citecheck.cli import main
import sys
sys.exit(main())
