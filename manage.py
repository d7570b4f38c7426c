#!/usr/bin/env python
from congdoan.config.cli import main

if __name__ == "__main__":
    main()
