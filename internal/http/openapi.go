package http

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPISpec is the hand-maintained OpenAPI 3 description of /api/v1. TestOpenAPIMatchesRoutes
// fails when a route under /api/ is missing from it, or it describes one the server lacks.
//
//go:embed openapi.json
var openAPISpec []byte

func (s *Server) handleOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(openAPISpec)
}
