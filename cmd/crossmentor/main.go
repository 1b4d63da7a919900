// Command crossmentor runs the crossmentorship web application.
//
//	crossmentor [serve [--demo]]   serve the app (the default)
//	crossmentor migrate            apply pending database migrations
//	crossmentor demo               fill an empty database with the demo organisation
//	crossmentor version            print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"crossmentor/app"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "crossmentor:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if cmd == "version" {
		fmt.Fprintln(stdout, version)
		return nil
	}
	flags := flag.NewFlagSet(cmd, flag.ContinueOnError)
	flags.SetOutput(stderr)
	demo := flags.Bool("demo", false, "with serve: fill an empty database with the demo organisation first")
	if err := flags.Parse(args); err != nil {
		return err
	}
	cfg, err := app.LoadConfig(os.LookupEnv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := app.NewLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	db, err := app.OpenDatabase(cfg, log)
	if err != nil {
		return err
	}
	switch cmd {
	case "migrate":
		if err := app.Migrate(ctx, db); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "migrations applied")
		return nil
	case "demo":
		if err := app.Migrate(ctx, db); err != nil {
			return err
		}
		if err := app.LoadDemo(ctx, db); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "demo organisation loaded; sign in as admin@demo.test with password", app.DemoPassword)
		return nil
	case "serve":
		if err := app.PrepareSchema(ctx, cfg, db); err != nil {
			return err
		}
		if *demo {
			if err := app.LoadDemo(ctx, db); err != nil && !errors.Is(err, app.ErrNotEmpty) {
				return err
			}
		}
		a, err := app.New(cfg, log, db, version)
		if err != nil {
			return err
		}
		return a.Serve(ctx)
	}
	return fmt.Errorf("unknown command %q (want serve, migrate, demo or version)", cmd)
}
