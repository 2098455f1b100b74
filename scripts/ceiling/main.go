// Command ceiling is the framework's ceiling for scripts/load.sh: a bare Fiber app whose
// one handler returns "ok", with no middleware, database or template. Whatever Teamshape
// does per request is measured against what this serves on the same machine.
//
//	go run ./scripts/ceiling -addr 127.0.0.1:18099
package main

import (
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/gofiber/fiber/v2"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18099", "listen address")
	flag.Parse()
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("ok") })
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		app.Shutdown() //nolint:errcheck
	}()
	if err := app.Listen(*addr); err != nil {
		log.Fatal(err)
	}
}
